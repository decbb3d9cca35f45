namespace CacheOperator.Replication;

/// <summary>
/// Frames of a bucket stream. Each frame is a 1-byte type, a 4-byte little-endian payload length, then the
/// payload (see <see cref="StreamFrames"/>).
/// </summary>
public enum FrameType : byte
{
    /// <summary>First frame: format version and stream id.</summary>
    Hello = 1,
    /// <summary>A live item of the snapshot.</summary>
    SnapshotItem = 2,
    /// <summary>The snapshot is complete; the log follows.</summary>
    SnapshotEnd = 3,
    /// <summary>Logged: the key now holds this item.</summary>
    Upsert = 4,
    /// <summary>Logged: a client deleted the key.</summary>
    Delete = 5,
    /// <summary>Logged: flush_all took effect on the source.</summary>
    Flush = 6,
    /// <summary>Liveness and lag: the last sequence number the source logged, and its clock.</summary>
    Heartbeat = 7,
    /// <summary>The source gave up on this stream (its log overflowed); the target must start over.</summary>
    Restart = 8,
}
