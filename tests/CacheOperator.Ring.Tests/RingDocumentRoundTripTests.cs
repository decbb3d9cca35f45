using System.Text;

namespace CacheOperator.Ring.Tests;

public class RingDocumentRoundTripTests
{
    [Fact]
    public void WriteThenParse_GivesAnEqualRing()
    {
        var ring = RingDocumentSamples.LargeRing();

        var parsed = RingDocument.Parse(RingDocument.Write(ring));

        RingAssert.Equal(ring, parsed);
    }

    [Fact]
    public void Write_IsCanonical_ParseThenWriteGivesTheSameBytes()
    {
        byte[] first = RingDocument.Write(RingDocumentSamples.LargeRing());

        Assert.Equal(first, RingDocument.Write(RingDocument.Parse(first)));
    }

    [Fact]
    public void ParseThenWrite_KeepsTheSampleDocumentsMeaning()
    {
        var ring = RingDocument.Parse(RingDocumentSamples.Valid);

        RingAssert.Equal(ring, RingDocument.Parse(RingDocument.WriteString(ring)));
    }

    [Fact]
    public void WriteThenParse_AfterGrowingTo256Shards_RoundTripsAndFitsAConfigMap()
    {
        var table = BucketTable.Create(["shard-0"]);
        for (int n = 1; n < 256; n++)
            table = table.WithShardAdded($"shard-{n}");
        var pool = new RingPool("main", [], table, [.. table.Shards.Select((id, i) => new ShardEndpoints(id, new NodeAddress($"10.0.{i / 200}.{i % 200 + 1}", 11211)))]);
        var ring = new CacheRing(3, [pool], "main");

        byte[] json = RingDocument.Write(ring);

        RingAssert.Equal(ring, RingDocument.Parse(json));
        Assert.True(json.Length < RingDocument.MaxDocumentBytes, $"{json.Length} bytes");
    }

    [Fact]
    public void Write_IndentedAndCompact_ParseToTheSameRing()
    {
        var ring = RingDocumentSamples.LargeRing();
        byte[] compact = RingDocument.Write(ring);
        byte[] indented = RingDocument.Write(ring, indented: true);

        Assert.True(compact.Length < indented.Length);
        Assert.DoesNotContain((byte)'\n', compact);
        RingAssert.Equal(RingDocument.Parse(compact), RingDocument.Parse(indented));
    }

    [Fact]
    public void Write_EncodesTheTableAsRuns()
    {
        var table = BucketTable.Create(["shard-0", "shard-1", "shard-2"], 8);
        var pool = new RingPool("main", [], table, [.. table.Shards.Select((id, i) => new ShardEndpoints(id, new NodeAddress("10.0.0." + (i + 1), 11211)))]);

        string json = RingDocument.WriteString(new CacheRing(1, [pool], "main"), indented: true);

        Assert.Contains("\"buckets\": [\n        \"0-2:shard-0\",\n        \"3-5:shard-1\",\n        \"6-7:shard-2\"\n      ]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RouterAndGutterOmitted_UsesDefaults()
    {
        const string json = """
            { "schemaVersion": 1, "version": 1, "defaultPool": "main",
              "pools": [ { "name": "main", "buckets": [ "0-16383:shard-0" ], "shards": [ { "id": "shard-0", "primary": "[::1]:11211" } ] } ] }
            """;

        var ring = RingDocument.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(RouterSettings.Default, ring.Router);
        Assert.Null(ring.Gutter);
        Assert.Empty(ring.Standbys);
        Assert.Equal(BucketTable.DefaultBucketCount, ring.Default.Table.BucketCount);
        Assert.Equal(new NodeAddress("::1", 11211), ring.Default.Shards[0].Primary);
        Assert.Equal("[::1]:11211", ring.Default.Shards[0].Primary.ToString());
    }
}
