namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// A node pod as failover detection sees it. <paramref name="NotReadySince"/> is when it stopped being Ready (its
/// Ready condition's lastTransitionTime, or the first time the operator saw it absent, terminating or without a
/// condition); null while it is Ready.
/// </summary>
/// <param name="ProcessChangedAt">
/// The latest time the pod's cache-node process started or ended, or the pod was created (Kubernetes' times,
/// whole seconds): whatever the node held before then is gone.
/// </param>
/// <param name="Stream">For a replica: its replica pull as the node reports it, when it answered and has one.</param>
/// <param name="ProbeFailingSince">
/// For a Ready pod: since when the operator's own probe of its admin /healthz has failed without a success in
/// between (the first failure this operator process saw); null while it answers or when it was not probed.
/// </param>
/// <param name="IP">The pod's IP as its status reports it, ready or not; null without one.</param>
public sealed record FailoverPod(string Name, bool Ready, DateTimeOffset? NotReadySince, DateTimeOffset? ProcessChangedAt = null,
    ReplicaPull? Stream = null, DateTimeOffset? ProbeFailingSince = null, string? IP = null);
