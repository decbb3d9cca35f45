namespace CacheOperator.Replication;

/// <summary>Where a bucket stream is, as the admin API and metrics report it.</summary>
public enum StreamPhase
{
    Connecting,
    /// <summary>Live items are being copied.</summary>
    Snapshot,
    /// <summary>The snapshot is done; the log written meanwhile is being applied.</summary>
    CatchUp,
    /// <summary>Caught up; new mutations are applied as they happen.</summary>
    Tailing,
    /// <summary>The stream broke or overflowed and is starting over from a fresh snapshot.</summary>
    Restarting,
    Stopped,
    /// <summary>
    /// A replica's stream broke after its snapshot was complete. The pull does not start over by itself (a new
    /// attempt first drops what it holds, and a restarted source is empty): it keeps what it applied, stays
    /// read-only, and waits for the operator to promote this node or to re-point it.
    /// </summary>
    Held,
}
