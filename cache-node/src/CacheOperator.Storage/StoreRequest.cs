namespace CacheOperator.Storage;

/// <summary>A store request: the set family of the text protocol and meta ms.</summary>
public struct StoreRequest
{
    public StoreRequest(StoreMode mode, uint flags, long exptime)
    {
        Mode = mode;
        Flags = flags;
        Exptime = exptime;
    }

    public StoreMode Mode { get; set; }

    /// <summary>Client flags stored with the item (ignored by append and prepend, which keep the old ones).</summary>
    public uint Flags { get; set; }

    /// <summary>memcached exptime: 0 never, up to 30 days relative, else absolute unix seconds, negative expired.</summary>
    public long Exptime { get; set; }

    /// <summary>If non-zero, the store happens only if the item's CAS equals it (cas command, ms C).</summary>
    public ulong CompareCas { get; set; }

    /// <summary>ms I: when <see cref="CompareCas"/> is older than the item's, store anyway but mark the item stale.</summary>
    public bool Invalidate { get; set; }

    /// <summary>ms N for append/prepend: on miss, create the item with this data and <see cref="VivifyExptime"/>.</summary>
    public bool Vivify { get; set; }

    public long VivifyExptime { get; set; }

    /// <summary>
    /// Warm-up apply: if non-zero, an existing item whose CAS is above this (a write made locally after the
    /// stream began) is kept and the store answers NotStored.
    /// </summary>
    public ulong KeepItemsNewerThanCas { get; set; }
}
