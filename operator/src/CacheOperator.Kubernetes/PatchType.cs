namespace CacheOperator.Kubernetes;

/// <summary>The patch formats the API server accepts (server-side apply has its own method).</summary>
public enum PatchType
{
    /// <summary>RFC 7386, <c>application/merge-patch+json</c>.</summary>
    Merge,
    /// <summary>RFC 6902, <c>application/json-patch+json</c>.</summary>
    Json,
    /// <summary><c>application/strategic-merge-patch+json</c>; built-in kinds only.</summary>
    StrategicMerge,
}
