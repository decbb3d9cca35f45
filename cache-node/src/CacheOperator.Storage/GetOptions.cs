namespace CacheOperator.Storage;

/// <summary>
/// What a read does besides reading: touch (gat, mg T), vivify on miss (mg N), recache wins (mg R),
/// and whether it counts as an access (mg u).
/// </summary>
public struct GetOptions
{
    /// <summary>A plain get that counts as an access.</summary>
    public static GetOptions Default => default;

    /// <summary>Set a new expiry on hit (memcached exptime semantics, see <see cref="Expiry"/>).</summary>
    public bool Touch { get; set; }

    /// <summary>The exptime applied when <see cref="Touch"/> is set.</summary>
    public long TouchExptime { get; set; }

    /// <summary>On miss, create an empty item and hand this client the win token (mg N).</summary>
    public bool Vivify { get; set; }

    /// <summary>The exptime of an item created by <see cref="Vivify"/>.</summary>
    public long VivifyExptime { get; set; }

    /// <summary>If set, a hit whose remaining TTL is below this many seconds wins the recache token (mg R).</summary>
    public long? RecacheBelowSeconds { get; set; }

    /// <summary>Do not count this read as an access: no eviction hint, no last-access or fetched update (mg u).</summary>
    public bool NoBump { get; set; }
}
