namespace CacheOperator.Reconciler.Orchestration;

/// <summary>An event a scale step asks to record once its state is stored.</summary>
public sealed record ScaleEvent(bool Warning, string Reason, string Message);
