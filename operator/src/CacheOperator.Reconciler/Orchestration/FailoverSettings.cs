namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The spec's failover section plus what the status says about the cluster's history.</summary>
/// <param name="ClusterWasRunning">
/// A cluster that never ran has pods still starting, not failed; nothing is handed over, and nothing watched, before it first runs.
/// </param>
public sealed record FailoverSettings(bool Enabled, int NotReadyThresholdSeconds, bool ClusterWasRunning);
