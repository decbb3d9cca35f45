namespace CacheOperator.Reconciler.Orchestration;

/// <summary>One shard handed over: from its failed primary to a ready replica (promoted) or a standby (empty).</summary>
/// <param name="Restarted">
/// The primary's process restarted (or its pod was recreated) after the replica began copying it: it is empty, so the
/// replica takes over at once and the restarted pod becomes the shard's replica instead of a standby.
/// </param>
/// <param name="ProbeFailed">
/// Detected by the operator's own /healthz probe failing for the threshold while the pod still said Ready;
/// <paramref name="NotReadyFor"/> is then how long the probe has failed.
/// </param>
public sealed record FailoverStep(string Pool, string Shard, string FailedPod, string NewPrimary, bool FromReplica, TimeSpan NotReadyFor,
    bool Restarted = false, bool ProbeFailed = false);
