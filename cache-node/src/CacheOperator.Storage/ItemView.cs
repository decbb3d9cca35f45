namespace CacheOperator.Storage;

/// <summary>
/// A read-only look at one item, valid only inside <see cref="IItemReader.Read"/>: the spans point into
/// the store's own memory, which may be reused as soon as the callback returns.
/// </summary>
public readonly ref struct ItemView
{
    public ItemView(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint flags, ulong cas, uint expiresAt,
        uint now, uint lastAccess, bool fetchedBefore, LeaseFlags lease)
    {
        Key = key;
        Value = value;
        Flags = flags;
        Cas = cas;
        ExpiresAt = expiresAt;
        Now = now;
        LastAccess = lastAccess;
        FetchedBefore = fetchedBefore;
        Lease = lease;
    }

    /// <summary>The item's key.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The item's value, without the protocol's trailing CRLF.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The client's opaque 32-bit flags.</summary>
    public uint Flags { get; }

    /// <summary>The CAS unique.</summary>
    public ulong Cas { get; }

    /// <summary>Absolute expiry in unix seconds; 0 means never.</summary>
    public uint ExpiresAt { get; }

    /// <summary>The store's clock when the view was taken, unix seconds.</summary>
    public uint Now { get; }

    /// <summary>Unix seconds of the access before this one (meta 'l').</summary>
    public uint LastAccess { get; }

    /// <summary>Whether the item had been read before this access (meta 'h').</summary>
    public bool FetchedBefore { get; }

    /// <summary>Lease answers of this read (meta W/X/Z).</summary>
    public LeaseFlags Lease { get; }

    /// <summary>Remaining time to live in seconds, -1 for an item that never expires (meta 't').</summary>
    public long TimeToLive => Expiry.TimeToLive(ExpiresAt, Now);
}
