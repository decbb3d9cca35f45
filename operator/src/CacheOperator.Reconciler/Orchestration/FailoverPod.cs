namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// A node pod as failover detection sees it. <paramref name="NotReadySince"/> is when it stopped being Ready (its
/// Ready condition's lastTransitionTime, or the first time the operator saw it absent, terminating or without a
/// condition); null while it is Ready.
/// </summary>
public sealed record FailoverPod(string Name, bool Ready, DateTimeOffset? NotReadySince);
