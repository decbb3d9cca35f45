using CacheOperator.Ring;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>Builds ring documents over test backends.</summary>
internal static class RingFactory
{
    public const int Buckets = 64;

    public static HeartbeatSettings FastHeartbeat { get; } = new(200, 300, 3);

    /// <summary>A pool named <paramref name="name"/> with one shard per primary; replicas[i] are shard i's replicas.</summary>
    public static RingPool Pool(string name, IReadOnlyList<string> prefixes, IReadOnlyList<NodeAddress> primaries,
        IReadOnlyList<IReadOnlyList<NodeAddress>>? replicas = null)
    {
        var ids = primaries.Select((_, i) => $"shard-{i}").ToArray();
        var shards = primaries.Select((p, i) => new ShardEndpoints(ids[i], p, replicas?[i])).ToArray();
        return new RingPool(name, prefixes, BucketTable.Create(ids, Buckets), shards);
    }

    public static CacheRing Ring(long version, IReadOnlyList<RingPool> pools, GutterPool? gutter = null,
        WritePolicy writes = WritePolicy.All, ReplicaReadPolicy reads = ReplicaReadPolicy.Random, HotKeySettings? hotKeys = null,
        HeartbeatSettings? heartbeat = null) =>
        new(version, pools, pools[0].Name, gutter: gutter,
            router: new RouterSettings(reads, writes, hotKeys ?? HotKeySettings.Default, heartbeat ?? FastHeartbeat));

    public static byte[] Json(CacheRing ring) => RingDocument.Write(ring);
}
