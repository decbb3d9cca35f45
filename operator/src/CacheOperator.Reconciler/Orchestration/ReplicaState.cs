namespace CacheOperator.Reconciler.Orchestration;

/// <summary>Where one replica's stream from its shard's primary stands after a reconcile, for status.</summary>
/// <param name="Phase">The node's stream phase (Tailing, Snapshot, Held, ...) or one of the operator's waits.</param>
/// <param name="LagEntries">Log entries the replica is behind its primary (as last heard); 0 without a stream.</param>
public sealed record ReplicaState(string Pool, string Shard, string Pod, string? Primary, string Phase, long LagEntries)
{
    public bool Tailing => Phase == ReplicaPhases.Tailing;

    /// <summary>A whole copy of the shard (Tailing, or Held since its stream broke): fit to serve reads.</summary>
    public bool Serving => Phase is ReplicaPhases.Tailing or ReplicaPhases.Held;
}
