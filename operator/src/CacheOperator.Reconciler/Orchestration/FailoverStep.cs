namespace CacheOperator.Reconciler.Orchestration;

/// <summary>One shard handed over: from its failed primary to a ready replica (promoted) or a standby (empty).</summary>
public sealed record FailoverStep(string Pool, string Shard, string FailedPod, string NewPrimary, bool FromReplica, TimeSpan NotReadyFor);
