using System.Globalization;

namespace CacheOperator.Ring.Json;

/// <summary>Maps a ring to its JSON shape; bucket tables become runs of consecutive buckets with one owner.</summary>
internal static class RingDocumentWriter
{
    public static RingDocumentDto ToDto(CacheRing ring) => new()
    {
        SchemaVersion = CacheRing.SchemaVersion,
        Version = ring.Version,
        DefaultPool = ring.Default.Name,
        Pools = [.. ring.Pools.Select(ToDto)],
        Standbys = [.. ring.Standbys.Select(a => a.ToString())],
        Gutter = ring.Gutter is { } g ? new GutterDto { Shards = [.. g.Nodes.Select(a => a.ToString())], TtlCapSeconds = g.TtlCapSeconds } : null,
        Router = new RouterDto
        {
            ReplicaReadPolicy = ring.Router.ReplicaReads == ReplicaReadPolicy.LeastOutstanding ? "least-outstanding" : "random",
            WritePolicy = ring.Router.Writes == WritePolicy.First ? "first" : "all",
            HotKeys = new HotKeysDto
            {
                ThresholdPerSecond = ring.Router.HotKeys.ThresholdPerSecond,
                Copies = ring.Router.HotKeys.Copies,
                CopyTtlSeconds = ring.Router.HotKeys.CopyTtlSeconds,
            },
            Heartbeat = new HeartbeatDto
            {
                IntervalMs = ring.Router.Heartbeat.IntervalMs,
                TimeoutMs = ring.Router.Heartbeat.TimeoutMs,
                FailuresBeforeDown = ring.Router.Heartbeat.FailuresBeforeDown,
            },
        },
    };

    private static PoolDto ToDto(RingPool pool) => new()
    {
        Name = pool.Name,
        Prefixes = [.. pool.Prefixes],
        BucketCount = pool.Table.BucketCount,
        Buckets = EncodeRuns(pool.Table),
        Shards = [.. pool.Shards.Select(s => new ShardDto
        {
            Id = s.Id,
            Primary = s.Primary.ToString(),
            Replicas = [.. s.Replicas.Select(a => a.ToString())],
        })],
    };

    /// <summary>Run-length encodes the table: one entry per maximal run of consecutive buckets with one owner.</summary>
    public static List<string> EncodeRuns(BucketTable table)
    {
        var runs = new List<string>();
        int start = 0;
        for (int bucket = 1; bucket <= table.BucketCount; bucket++)
        {
            if (bucket < table.BucketCount && table.ShardIndexOf(bucket) == table.ShardIndexOf(start))
                continue;
            string shard = table.ShardOf(start);
            runs.Add(bucket - 1 == start
                ? string.Create(CultureInfo.InvariantCulture, $"{start}:{shard}")
                : string.Create(CultureInfo.InvariantCulture, $"{start}-{bucket - 1}:{shard}"));
            start = bucket;
        }

        return runs;
    }
}
