using CacheOperator.Api.V1Alpha1;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Desired;

/// <summary>What the spec asks of the ring: pools (the default pool first), the gutter and router behaviour.</summary>
public static class ClusterTopology
{
    public const string DefaultPool = "default";

    public static IReadOnlyList<PoolTopology> Pools(CacheClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pools = new List<PoolTopology> { new(DefaultPool, [], spec.Shards, spec.ReplicasPerShard, spec.Standbys) };
        pools.AddRange(spec.Pools.Select(p => new PoolTopology(p.Name, [.. p.Prefixes], p.Shards, p.ReplicasPerShard, p.Standbys ?? 0)));
        return pools;
    }

    public static GutterTopology? Gutter(CacheClusterSpec spec) =>
        spec.Gutter.Shards > 0 ? new GutterTopology(spec.Gutter.Shards, spec.Gutter.TtlSeconds) : null;

    /// <summary>Item memory of a pool's nodes (the gutter's too): the pool's own, else the cluster's.</summary>
    public static string Memory(CacheClusterSpec spec, string pool) =>
        spec.Pools.FirstOrDefault(p => p.Name == pool)?.Memory ?? spec.Memory;

    public static RouterSettings Router(CacheClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // The ring has no "off" switch for hot keys: a threshold no key reaches turns detection off and keeps the
        // other settings valid.
        var hotKeys = new HotKeySettings(
            spec.HotKeys.Enabled ? spec.HotKeys.ThresholdPerSecond : int.MaxValue,
            spec.HotKeys.Copies,
            spec.HotKeys.TtlSeconds);
        return new RouterSettings(
            spec.Router.ReadStrategy == ReadStrategies.LeastOutstanding ? ReplicaReadPolicy.LeastOutstanding : ReplicaReadPolicy.Random,
            spec.Router.WriteAck == WriteAcks.First ? WritePolicy.First : WritePolicy.All,
            hotKeys,
            HeartbeatSettings.Default);
    }

    /// <summary>
    /// Problems the schema cannot see but that would make the objects collide; reported like validation errors.
    /// </summary>
    public static IReadOnlyList<string> Conflicts(CacheClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var conflicts = new List<string>();
        if (spec.Gutter.Shards > 0 && spec.Pools.Any(p => p.Name == GutterTopology.PoolName))
            conflicts.Add($"spec.pools: the pool name \"{GutterTopology.PoolName}\" is reserved for the gutter pool when gutter.shards > 0");
        return conflicts;
    }
}
