namespace CacheOperator.Storage;

/// <summary>
/// Receives every mutation of the keys it selects (replication and warm-up streams log through this).
/// Calls come under the key's partition lock, so for one key they arrive in the order the store applied
/// them; implementations must be quick and must never block (append to a bounded buffer, or give up and
/// mark themselves overflowed).
/// </summary>
public interface IMutationObserver
{
    /// <summary>Whether mutations of a key with this hash (see CacheOperator.Hashing.KeyHasher) are wanted.</summary>
    bool Selects(ulong keyHash);

    /// <summary>The key now holds this item (set family, incr/decr, touch, invalidation): its full new state.</summary>
    void OnStored(ulong keyHash, in ItemView item);

    /// <summary>The key was deleted by a client (not evicted and not expired: those happen on each side by itself).</summary>
    void OnDeleted(ulong keyHash, ReadOnlySpan<byte> key);

    /// <summary>flush_all took effect: everything stored before now is gone.</summary>
    void OnFlushed();
}
