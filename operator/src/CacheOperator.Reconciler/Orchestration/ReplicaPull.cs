namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// One replica-mode pull as the replica's node reports it. <paramref name="SourceIP"/> is the host of the source
/// URL it pulls from; <paramref name="StartedAt"/> is when the pull was created (the node's clock), which failover
/// compares with the primary's restarts; <paramref name="LagEntries"/> stays as last heard after the stream breaks.
/// </summary>
public sealed record ReplicaPull(string Id, string SourceIP, string Phase, long Items, long LagEntries, DateTimeOffset? StartedAt, string? LastError)
{
    /// <summary>Streaming (Tailing) or broken after it was in sync (Held): either way a full copy of the shard, up to its lag.</summary>
    public bool HoldsShard => Phase is ReplicaPhases.Tailing or ReplicaPhases.Held;
}
