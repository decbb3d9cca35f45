using CacheOperator.Ring;
using CacheOperator.Router.Backends;
using CacheOperator.Router.Observability;

namespace CacheOperator.Router.Routing;

/// <summary>
/// One ring version with every address resolved to its <see cref="Backend"/>. Immutable and swapped whole: a
/// request reads the table once and finishes on it, whatever newer ring arrives meanwhile.
/// </summary>
internal sealed class RouteTable
{
    private readonly PoolRoute[] _pools;

    public RouteTable(CacheRing ring, BackendRegistry registry, RouterMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(metrics);
        Ring = ring;
        var all = new List<Backend>();
        _pools = new PoolRoute[ring.Pools.Count];
        for (var p = 0; p < _pools.Length; p++)
        {
            var pool = ring.Pools[p];
            var shards = new Backend[pool.Shards.Count][];
            for (var s = 0; s < shards.Length; s++)
            {
                var endpoints = pool.ShardAt(s);
                var copies = new Backend[1 + endpoints.Replicas.Count];
                copies[0] = registry.GetOrAdd(endpoints.Primary, pool.Name);
                for (var r = 0; r < endpoints.Replicas.Count; r++)
                    copies[r + 1] = registry.GetOrAdd(endpoints.Replicas[r], pool.Name);
                shards[s] = copies;
                all.AddRange(copies);
            }

            _pools[p] = new PoolRoute(pool, shards, metrics.Fallback(pool.Name, "gutter"), metrics.Fallback(pool.Name, "miss"),
                metrics.Fallback(pool.Name, "error"), metrics.HotKeys(pool.Name));
        }

        if (ring.Gutter is { } gutter)
        {
            Gutter = [.. gutter.Nodes.Select(n => registry.GetOrAdd(n, "gutter"))];
            all.AddRange(Gutter);
        }

        All = [.. all];
    }

    public CacheRing Ring { get; }

    public long Version => Ring.Version;

    /// <summary>Gutter nodes, when the ring has a gutter pool.</summary>
    public Backend[]? Gutter { get; }

    /// <summary>Every backend this ring sends to (for flush_all and the retirement of dropped ones).</summary>
    public Backend[] All { get; }

    public IReadOnlyList<PoolRoute> Pools => _pools;

    /// <summary>The pool of a key: longest matching prefix, else the default pool. Allocation-free.</summary>
    public PoolRoute PoolOf(ReadOnlySpan<byte> key)
    {
        var pool = Ring.SelectPool(key);
        foreach (var route in _pools)
        {
            if (ReferenceEquals(route.Pool, pool))
                return route;
        }

        throw new InvalidOperationException("the ring selected a pool it does not have");
    }

    /// <summary>The gutter node of a key, if the ring has a gutter pool.</summary>
    public Backend? GutterOf(ReadOnlySpan<byte> key) =>
        Gutter is { } gutter ? gutter[Ring.Gutter!.NodeIndexOfKey(key)] : null;
}
