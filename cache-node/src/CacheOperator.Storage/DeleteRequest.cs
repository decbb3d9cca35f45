namespace CacheOperator.Storage;

/// <summary>A delete request: text delete and meta md.</summary>
public struct DeleteRequest
{
    /// <summary>If non-zero, delete only if the item's CAS equals it (md C).</summary>
    public ulong CompareCas { get; set; }

    /// <summary>md I: instead of removing, mark the item stale with a new CAS so the next reader wins a recache.</summary>
    public bool Invalidate { get; set; }

    /// <summary>md T with I: the exptime the invalidated item gets.</summary>
    public long? InvalidateExptime { get; set; }
}
