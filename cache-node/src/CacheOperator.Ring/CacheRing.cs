using System.Text;

namespace CacheOperator.Ring;

/// <summary>
/// One version of a cluster's ring, as published in its ConfigMap: pools with their bucket tables and shard
/// endpoints, standbys, the gutter pool and router settings. Immutable; routers swap whole instances.
/// </summary>
public sealed class CacheRing
{
    /// <summary>Prefixes as UTF-8, longest first, with the pool each selects.</summary>
    private readonly (byte[] Prefix, RingPool Pool)[] _prefixes;

    /// <summary>Creates a ring version; throws <see cref="ArgumentException"/> when it is inconsistent.</summary>
    public CacheRing(
        long version,
        IReadOnlyList<RingPool> pools,
        string defaultPool,
        IReadOnlyList<NodeAddress>? standbys = null,
        GutterPool? gutter = null,
        RouterSettings? router = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentException.ThrowIfNullOrEmpty(defaultPool);
        if (pools.Count == 0)
            throw new ArgumentException("a ring needs at least one pool", nameof(pools));
        if (pools.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != pools.Count)
            throw new ArgumentException("pool names must be unique", nameof(pools));

        Default = pools.FirstOrDefault(p => p.Name == defaultPool)
            ?? throw new ArgumentException($"default pool '{defaultPool}' is not defined", nameof(defaultPool));

        var prefixes = new List<(byte[] Prefix, RingPool Pool)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            foreach (string prefix in pool.Prefixes)
            {
                if (prefix.Length == 0)
                    throw new ArgumentException($"pool '{pool.Name}' has an empty prefix", nameof(pools));
                if (!seen.Add(prefix))
                    throw new ArgumentException($"prefix '{prefix}' is claimed by two pools", nameof(pools));
                prefixes.Add((Encoding.UTF8.GetBytes(prefix), pool));
            }
        }

        // Longest first, so the first match is the longest; ordinal order among equals keeps it deterministic.
        _prefixes = [.. prefixes.OrderByDescending(p => p.Prefix.Length).ThenBy(p => p.Prefix, ByteOrder.Instance)];
        Version = version;
        Pools = [.. pools];
        Standbys = standbys is null ? [] : [.. standbys];
        Gutter = gutter;
        Router = router ?? RouterSettings.Default;
    }

    /// <summary>Schema version of the JSON document this library reads and writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Monotonically increasing ring version.</summary>
    public long Version { get; }

    /// <summary>Pools, in document order.</summary>
    public IReadOnlyList<RingPool> Pools { get; }

    /// <summary>The pool of keys that match no prefix.</summary>
    public RingPool Default { get; }

    /// <summary>Spare pods that take over a failed shard.</summary>
    public IReadOnlyList<NodeAddress> Standbys { get; }

    /// <summary>The gutter pool, if the cluster has one.</summary>
    public GutterPool? Gutter { get; }

    /// <summary>Router settings.</summary>
    public RouterSettings Router { get; }

    /// <summary>The pool of a key: the one with the longest prefix the key starts with, else the default pool.</summary>
    public RingPool SelectPool(ReadOnlySpan<byte> key)
    {
        foreach (var (prefix, pool) in _prefixes)
        {
            if (key.StartsWith(prefix))
                return pool;
        }

        return Default;
    }

    /// <summary>Looks a pool up by name.</summary>
    public RingPool? FindPool(string name) => Pools.FirstOrDefault(p => p.Name == name);

    /// <summary>Orders byte strings lexicographically.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
