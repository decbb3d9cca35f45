namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Phases of a replica stream: the node's own (Connecting, Snapshot, CatchUp, Tailing, Restarting, Stopped, Held)
/// and the operator's for a replica without a usable stream.
/// </summary>
public static class ReplicaPhases
{
    public const string Tailing = "Tailing";

    /// <summary>The node's: the stream broke after it was in sync; the replica keeps its data and waits.</summary>
    public const string Held = "Held";

    public const string Stopped = "Stopped";

    /// <summary>The replica pod is not ready or has no IP.</summary>
    public const string WaitingForPod = "WaitingForPod";

    /// <summary>The shard's primary is not ready or has no IP; an existing stream is left as it is.</summary>
    public const string WaitingForPrimary = "WaitingForPrimary";

    /// <summary>
    /// The replica's copy is to be replaced (a new primary, a broken stream), but a router may still read from it:
    /// it leaves the ring first and keeps its pull until every router serves a ring without it.
    /// </summary>
    public const string WaitingForRouters = "WaitingForRouters";

    /// <summary>
    /// The replica's pod is the next to be deleted for a pod update: it is left out of the ring, its pull is left as
    /// it is and none is started, and it is deleted once every router serves a ring without it.
    /// </summary>
    public const string LeavingForUpdate = "LeavingForUpdate";

    /// <summary>The replica's admin API did not answer, or refused to start the pull.</summary>
    public const string Unreachable = "Unreachable";
}
