using CacheOperator.Metrics;
using CacheOperator.Ring;
using CacheOperator.Router.Backends;

namespace CacheOperator.Router.Routing;

/// <summary>A pool of one ring version with its backends resolved: per shard, the primary then its replicas.</summary>
internal sealed class PoolRoute
{
    public PoolRoute(RingPool pool, Backend[][] shards, ICounter toGutter, ICounter asMiss, ICounter asError, ICounter hotKeys)
    {
        HotKeys = hotKeys;
        Pool = pool;
        Shards = shards;
        ToGutter = toGutter;
        AsMiss = asMiss;
        AsError = asError;
    }

    public RingPool Pool { get; }

    /// <summary>By shard index: primary first, then replicas in document order.</summary>
    public Backend[][] Shards { get; }

    public ICounter ToGutter { get; }

    public ICounter AsMiss { get; }

    public ICounter AsError { get; }

    /// <summary>Keys of this pool found hot.</summary>
    public ICounter HotKeys { get; }

    /// <summary>The copies of the shard owning a key.</summary>
    public Backend[] CopiesOf(ReadOnlySpan<byte> key) => Shards[Pool.ShardIndexOfKey(key)];
}
