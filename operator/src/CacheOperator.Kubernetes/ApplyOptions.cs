namespace CacheOperator.Kubernetes;

/// <summary>Server-side apply parameters.</summary>
public sealed record ApplyOptions(string FieldManager, bool Force = true);
