using System.Text.Json.Nodes;

namespace CacheOperator.Ring.Tests;

/// <summary>Documents and rings the tests share.</summary>
internal static class RingDocumentSamples
{
    /// <summary>A small valid document touching every section (8 and 4 buckets keep runs readable).</summary>
    public const string Valid = """
        {
          "schemaVersion": 1,
          "version": 7,
          "defaultPool": "main",
          "pools": [
            {
              "name": "main",
              "prefixes": [],
              "bucketCount": 8,
              "buckets": [ "0-3:shard-0", "4-7:shard-1" ],
              "shards": [
                { "id": "shard-0", "primary": "10.0.0.1:11211", "replicas": [ "10.0.0.2:11211" ] },
                { "id": "shard-1", "primary": "10.0.0.3:11211" }
              ]
            },
            {
              "name": "popular",
              "prefixes": [ "pop:" ],
              "bucketCount": 4,
              "buckets": [ "0-3:shard-0" ],
              "shards": [ { "id": "shard-0", "primary": "10.0.1.1:11211" } ]
            }
          ],
          "standbys": [ "10.0.0.9:11211" ],
          "gutter": { "shards": [ "10.0.2.1:11211" ], "ttlCapSeconds": 10 },
          "router": {
            "replicaReadPolicy": "random",
            "writePolicy": "all",
            "hotKeys": { "thresholdPerSecond": 100, "copies": 2, "copyTtlSeconds": 5 },
            "heartbeat": { "intervalMs": 1000, "timeoutMs": 300, "failuresBeforeDown": 3 }
          }
        }
        """;

    /// <summary>The valid document with one change applied.</summary>
    public static string ValidWith(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>A ring with two full-size pools, replicas, standbys, a gutter and non-default router settings.</summary>
    public static CacheRing LargeRing(long version = 42)
    {
        var mainTable = BucketTable.Create([.. Enumerable.Range(0, 5).Select(i => $"shard-{i}")])
            .WithShardAdded("shard-5")
            .WithShardRemoved("shard-2");
        var main = new RingPool(
            "main",
            [],
            mainTable,
            [.. mainTable.Shards.Select((id, i) => new ShardEndpoints(
                id,
                new NodeAddress($"main-{i}.sessions.svc", 11211),
                [new NodeAddress($"main-{i}-r.sessions.svc", 11211)]))]);
        var hotTable = BucketTable.Create(["shard-0", "shard-1"], 1024);
        var hot = new RingPool(
            "popular",
            ["popular:", "pop:"],
            hotTable,
            [
                new ShardEndpoints("shard-1", new NodeAddress("fd00::11", 11211), [new NodeAddress("10.1.0.2", 11212), new NodeAddress("10.1.0.3", 11212)]),
                new ShardEndpoints("shard-0", new NodeAddress("10.1.0.1", 11211)),
            ]);
        return new CacheRing(
            version,
            [main, hot],
            "main",
            [new NodeAddress("standby-0.sessions.svc", 11211)],
            new GutterPool([new NodeAddress("gutter-0.sessions.svc", 11211), new NodeAddress("gutter-1.sessions.svc", 11211)], 15),
            new RouterSettings(ReplicaReadPolicy.LeastOutstanding, WritePolicy.First, new HotKeySettings(500, 4, 3), new HeartbeatSettings(250, 100, 5)));
    }
}
