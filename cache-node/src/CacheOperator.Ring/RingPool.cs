using System.Runtime.CompilerServices;

namespace CacheOperator.Ring;

/// <summary>One pool: its key prefixes, its bucket table and the endpoints of each shard.</summary>
public sealed class RingPool
{
    /// <summary>Endpoints by shard index of <see cref="Table"/>.</summary>
    private readonly ShardEndpoints[] _shards;

    /// <summary>
    /// Creates a pool. <paramref name="shards"/> must define exactly the shards of <paramref name="table"/>; they
    /// are kept in the table's order.
    /// </summary>
    public RingPool(string name, IReadOnlyList<string> prefixes, BucketTable table, IReadOnlyList<ShardEndpoints> shards)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count != table.Shards.Count)
            throw new ArgumentException($"pool '{name}' defines {shards.Count} shards, its table has {table.Shards.Count}", nameof(shards));

        _shards = new ShardEndpoints[shards.Count];
        foreach (var shard in shards)
        {
            int index = table.IndexOfShard(shard.Id);
            if (index < 0)
                throw new ArgumentException($"shard '{shard.Id}' of pool '{name}' is not in its table", nameof(shards));
            if (_shards[index] is not null)
                throw new ArgumentException($"shard '{shard.Id}' of pool '{name}' is defined twice", nameof(shards));
            _shards[index] = shard;
        }

        Name = name;
        Prefixes = [.. prefixes];
        Table = table;
        Shards = _shards.AsReadOnly();
    }

    /// <summary>Pool name.</summary>
    public string Name { get; }

    /// <summary>Key prefixes routed to this pool.</summary>
    public IReadOnlyList<string> Prefixes { get; }

    /// <summary>Bucket → shard assignment.</summary>
    public BucketTable Table { get; }

    /// <summary>Shard endpoints in table order (index = shard index).</summary>
    public IReadOnlyList<ShardEndpoints> Shards { get; }

    /// <summary>Shard index of a key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ShardIndexOfKey(ReadOnlySpan<byte> key) => Table.ShardIndexOfKey(key);

    /// <summary>Endpoints of the shard owning a key: a hash, two array indexes, no allocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ShardEndpoints ShardForKey(ReadOnlySpan<byte> key) => _shards[Table.ShardIndexOfKey(key)];

    /// <summary>Endpoints of the shard at an index.</summary>
    public ShardEndpoints ShardAt(int shardIndex) => _shards[shardIndex];
}
