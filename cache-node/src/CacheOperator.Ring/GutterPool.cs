using CacheOperator.Hashing;

namespace CacheOperator.Ring;

/// <summary>Nodes that take the reads and writes of a down shard, with a short TTL so their data heals by itself.</summary>
public sealed class GutterPool
{
    /// <summary>Creates a gutter pool.</summary>
    public GutterPool(IReadOnlyList<NodeAddress> nodes, int ttlCapSeconds)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
            throw new ArgumentException("a gutter pool needs at least one node", nameof(nodes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ttlCapSeconds);
        Nodes = [.. nodes];
        TtlCapSeconds = ttlCapSeconds;
    }

    /// <summary>Gutter nodes.</summary>
    public IReadOnlyList<NodeAddress> Nodes { get; }

    /// <summary>Longest TTL a value written to the gutter may have.</summary>
    public int TtlCapSeconds { get; }

    /// <summary>
    /// Gutter node of a key. Uses the hash's low half, not the bucket bits: the keys of one down shard share a
    /// bucket range, and choosing by those bits would send them all to one gutter node.
    /// </summary>
    public int NodeIndexOfKey(ReadOnlySpan<byte> key) =>
        (int)(((ulong)(uint)KeyHasher.Hash(key) * (uint)Nodes.Count) >> 32);
}
