namespace CacheOperator.Ring;

/// <summary>Router behaviour published with the ring, so every router of a cluster acts alike.</summary>
/// <param name="ReplicaReads">How reads are spread over a shard's copies.</param>
/// <param name="Writes">When a write to a replicated pool is acknowledged.</param>
/// <param name="HotKeys">Hot-key detection and copies.</param>
/// <param name="Heartbeat">Failure detection.</param>
public sealed record RouterSettings(
    ReplicaReadPolicy ReplicaReads,
    WritePolicy Writes,
    HotKeySettings HotKeys,
    HeartbeatSettings Heartbeat)
{
    /// <summary>Defaults used when a document has no <c>router</c> section.</summary>
    public static RouterSettings Default { get; } =
        new(ReplicaReadPolicy.Random, WritePolicy.All, HotKeySettings.Default, HeartbeatSettings.Default);
}
