using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CacheOperator.Ring.Tests;

public partial class RingDocumentInvalidTests
{
    private static JsonObject Pool(JsonObject root, int index) => root["pools"]![index]!.AsObject();

    private static JsonObject Shard(JsonObject root, int pool, int shard) => Pool(root, pool)["shards"]![shard]!.AsObject();

    public static TheoryData<string, string> InvalidDocuments => new()
    {
        { RingDocumentSamples.ValidWith(r => r["schemaVersion"] = 2), "$.schemaVersion: unsupported schema version 2 (this build reads 1)" },
        { RingDocumentSamples.ValidWith(r => r.Remove("schemaVersion")), "$.schemaVersion: is required" },
        { RingDocumentSamples.ValidWith(r => r.Remove("version")), "$.version: is required" },
        { RingDocumentSamples.ValidWith(r => r["version"] = 0), "$.version: must be a positive integer, not 0" },
        { RingDocumentSamples.ValidWith(r => r["version"] = -3), "$.version: must be a positive integer, not -3" },
        { RingDocumentSamples.ValidWith(r => r["version"] = 1.5), "$.version: expected an integer" },
        { RingDocumentSamples.ValidWith(r => r["version"] = "7"), "$.version: expected an integer" },
        { RingDocumentSamples.ValidWith(r => r["extra"] = 1), "$.extra: unknown property 'extra'" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["replica"] = new JsonArray()), "$.pools[0].shards[1].replica: unknown property 'replica'" },
        { RingDocumentSamples.ValidWith(r => r["pools"] = new JsonObject()), "$.pools: expected an array" },
        { RingDocumentSamples.ValidWith(r => r["pools"] = new JsonArray()), "$.pools: must list at least one pool" },
        { RingDocumentSamples.ValidWith(r => r["pools"] = new JsonArray(1)), "$.pools[0]: expected an object" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-2:shard-0", "4-7:shard-1")), "$.pools[0].buckets: bucket 3 is not covered" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-3:shard-0", "7:shard-1")), "$.pools[0].buckets: buckets 4-6 are not covered" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-4:shard-0", "4-7:shard-1")), "$.pools[0].buckets[1]: bucket 4 is covered twice (also by $.pools[0].buckets[0])" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-3:shard-0", "4-7:shard-9")), "$.pools[0].buckets[1]: shard 'shard-9' is referenced but not defined in $.pools[0].shards" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-3:shard-0", "4-8:shard-1")), "$.pools[0].buckets[1]: bucket 8 is out of range (the pool has buckets 0..7)" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-3:shard-0", "7-4:shard-1")), "$.pools[0].buckets[1]: run '7-4:shard-1' ends before it starts" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-3:shard-0", "4..7:shard-1")), "$.pools[0].buckets[1]: '4..7:shard-1' is not a run (expected \"first-last:shard\" or \"bucket:shard\")" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["buckets"] = new JsonArray("0-3:shard-0", "+4-7:shard-1")), "$.pools[0].buckets[1]: '+4-7:shard-1' is not a run (expected \"first-last:shard\" or \"bucket:shard\")" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0).Remove("buckets")), "$.pools[0].buckets: is required" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["bucketCount"] = 0), "$.pools[0].bucketCount: must be between 1 and 65536, not 0" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["prefixes"] = new JsonArray("pop:")), "$.pools[1].prefixes[0]: prefix 'pop:' is already used at $.pools[0].prefixes[0] (pool 'main')" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 1)["prefixes"] = new JsonArray("pop:", "pop:")), "$.pools[1].prefixes[1]: prefix 'pop:' is already used at $.pools[1].prefixes[0] (pool 'popular')" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 1)["prefixes"] = new JsonArray("")), "$.pools[1].prefixes[0]: prefix is empty (keys that match no prefix go to the default pool)" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 1)["prefixes"] = new JsonArray("a b")), "$.pools[1].prefixes[0]: prefix 'a b' contains a space or control character, which no key can" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 1)["name"] = "main"), "$.pools[1].name: duplicate pool name 'main' (also $.pools[0])" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 1)["name"] = "Popular"), "$.pools[1].name: 'Popular' is not a DNS label (lowercase letters, digits, '-', at most 63)" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 1).Remove("name")), "$.pools[1].name: is required" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["shards"] = new JsonArray()), "$.pools[0].shards: must list at least one shard" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["id"] = "shard-0"), "$.pools[0].shards[1].id: duplicate shard id 'shard-0' (also $.pools[0].shards[0])" },
        { RingDocumentSamples.ValidWith(r => Pool(r, 0)["shards"]!.AsArray().Add(new JsonObject { ["id"] = "shard-2", ["primary"] = "10.0.0.4:11211" })), "$.pools[0].shards[2]: shard 'shard-2' owns no buckets" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["primary"] = ""), "$.pools[0].shards[1].primary: address is empty" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1).Remove("primary")), "$.pools[0].shards[1].primary: is required" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["primary"] = "10.0.0.3:99999"), "$.pools[0].shards[1].primary: '10.0.0.3:99999' has a bad port (expected 1..65535)" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["primary"] = "10.0.0.3:0"), "$.pools[0].shards[1].primary: '10.0.0.3:0' has a bad port (expected 1..65535)" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["primary"] = "10.0.0.3"), "$.pools[0].shards[1].primary: '10.0.0.3' has no port (expected host:port)" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["primary"] = ":11211"), "$.pools[0].shards[1].primary: ':11211' has an empty host" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 1)["primary"] = "fd00::1:11211"), "$.pools[0].shards[1].primary: 'fd00::1:11211' has an IPv6 host without brackets (expected [host]:port)" },
        { RingDocumentSamples.ValidWith(r => Shard(r, 0, 0)["replicas"] = new JsonArray("")), "$.pools[0].shards[0].replicas[0]: address is empty" },
        { RingDocumentSamples.ValidWith(r => r["standbys"] = new JsonArray("10.0.0.1:11211")), "$.standbys[0]: address 10.0.0.1:11211 is already used at $.pools[0].shards[0].primary" },
        { RingDocumentSamples.ValidWith(r => r["defaultPool"] = "nope"), "$.defaultPool: pool 'nope' is not defined in $.pools" },
        { RingDocumentSamples.ValidWith(r => r.Remove("defaultPool")), "$.defaultPool: is required" },
        { RingDocumentSamples.ValidWith(r => r["gutter"]!["ttlCapSeconds"] = 0), "$.gutter.ttlCapSeconds: must be a positive integer, not 0" },
        { RingDocumentSamples.ValidWith(r => r["gutter"]!["shards"] = new JsonArray()), "$.gutter.shards: must list at least one node" },
        { RingDocumentSamples.ValidWith(r => r["router"]!["replicaReadPolicy"] = "round-robin"), "$.router.replicaReadPolicy: 'round-robin' is not one of random, least-outstanding" },
        { RingDocumentSamples.ValidWith(r => r["router"]!["writePolicy"] = "quorum"), "$.router.writePolicy: 'quorum' is not one of all, first" },
        { RingDocumentSamples.ValidWith(r => r["router"]!["hotKeys"]!["copies"] = 0), "$.router.hotKeys.copies: must be a positive integer, not 0" },
        { RingDocumentSamples.ValidWith(r => r["router"]!["hotKeys"]!["copies"] = 65), "$.router.hotKeys.copies: must be at most 64, not 65" },
        { RingDocumentSamples.ValidWith(r => r["router"]!["heartbeat"]!["failuresBeforeDown"] = 0), "$.router.heartbeat.failuresBeforeDown: must be a positive integer, not 0" },
        { RingDocumentSamples.ValidWith(r => r["router"]!["heartbeat"]!["timeoutMs"] = -1), "$.router.heartbeat.timeoutMs: must be a positive integer, not -1" },
        { "null", "$: expected an object" },
        { """{ "schemaVersion": 1, "schemaVersion": 1 }""", "$.schemaVersion: duplicate property 'schemaVersion'" },
    };

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Parse_InvalidDocument_FailsWithPathAndReason(string json, string expected)
    {
        var error = Assert.Throws<RingFormatException>(() => RingDocument.Parse(json));

        Assert.Equal(expected, PositionSuffix().Replace(error.Message, ""));
        Assert.StartsWith(error.JsonPath + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsLineAndByte()
    {
        var error = Assert.Throws<RingFormatException>(() => RingDocument.Parse("{\n  \"version\": 7,\n  oops\n}"));

        Assert.Equal("$", error.JsonPath);
        Assert.EndsWith("(line 3, byte 3)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidSample_Succeeds()
    {
        var ring = RingDocument.Parse(RingDocumentSamples.Valid);

        Assert.Equal(7, ring.Version);
        Assert.Equal(["main", "popular"], ring.Pools.Select(p => p.Name));
    }

    [Fact]
    public void Parse_EveryTruncationAndByteFlip_ThrowsOnlyRingFormatException()
    {
        byte[] valid = Encoding.UTF8.GetBytes(RingDocumentSamples.Valid);
        for (int length = 0; length < valid.Length; length++)
            AssertParsesOrFailsCleanly(valid.AsSpan(0, length).ToArray());

        var random = new Random(7);
        for (int round = 0; round < 3000; round++)
        {
            byte[] copy = (byte[])valid.Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            AssertParsesOrFailsCleanly(copy);
        }
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_ThrowsRingFormatException()
    {
        byte[] document = Encoding.UTF8.GetBytes(RingDocumentSamples.Valid.Replace("\"main\"", "\"m\u00e9in\"", StringComparison.Ordinal));
        int at = Array.IndexOf(document, (byte)0xC3);
        document[at + 1] = 0x28;

        Assert.Throws<RingFormatException>(() => RingDocument.Parse(document));
    }

    [Fact]
    public void Parse_OversizedDocument_IsRejected()
    {
        var error = Assert.Throws<RingFormatException>(() => RingDocument.Parse(new byte[RingDocument.MaxDocumentBytes + 1]));

        Assert.Equal("$", error.JsonPath);
    }

    private static void AssertParsesOrFailsCleanly(byte[] document)
    {
        try
        {
            RingDocument.Parse(document);
        }
        catch (RingFormatException)
        {
        }
    }

    [GeneratedRegex(@" \(line \d+, byte \d+\)$")]
    private static partial Regex PositionSuffix();
}
