namespace CacheOperator.Reconciler.Reconcile;

/// <summary>A pod as the status needs it.</summary>
public sealed record ObservedPod(string Name, string? IP, bool Ready);
