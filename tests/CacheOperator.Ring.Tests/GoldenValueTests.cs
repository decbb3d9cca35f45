using System.Text;

namespace CacheOperator.Ring.Tests;

/// <summary>
/// Values pinned from a run of this code. Routers, nodes and the operator must agree across processes and
/// releases; an accidental change to the hash, the bucket mapping or the rebalancing algorithm fails here.
/// </summary>
public class GoldenValueTests
{
    [Theory]
    [InlineData("", 10436)]
    [InlineData("foo", 10353)]
    [InlineData("user:42", 16095)]
    [InlineData("session:0123456789abcdef", 7738)]
    [InlineData("popular:item", 2313)]
    public void BucketOf_KnownKeys_AreStable(string key, int expected)
    {
        Assert.Equal(expected, BucketTable.BucketOf(Encoding.UTF8.GetBytes(key), BucketTable.DefaultBucketCount));
    }

    [Theory]
    [InlineData(0, "shard-0")]
    [InlineData(1, "shard-0")]
    [InlineData(3000, "shard-5")]
    [InlineData(12000, "shard-7")]
    [InlineData(5000, "shard-9")]
    [InlineData(9999, "shard-1")]
    [InlineData(16383, "shard-11")]
    public void GrownTable_KnownBuckets_AreStable(int bucket, string expected)
    {
        Assert.Equal(expected, GrownTable().ShardOf(bucket));
    }

    [Fact]
    public void GrownTable_Fingerprint_IsStable()
    {
        var table = GrownTable();
        ulong fingerprint = 14695981039346656037UL;
        for (int bucket = 0; bucket < table.BucketCount; bucket++)
        {
            foreach (char c in table.ShardOf(bucket))
                fingerprint = (fingerprint ^ c) * 1099511628211UL;
        }

        Assert.Equal(8106796920520082752UL, fingerprint);
    }

    [Fact]
    public void HotKeySuffixes_KnownKey_AreStableAndSkipRepeatedShards()
    {
        var suffixes = new int[8];
        int found = HotKeyCopies.FindSuffixes(GrownTable(), "popular:item"u8, 8, suffixes);

        Assert.Equal(8, found);
        Assert.Equal([1, 2, 3, 5, 8, 11, 13, 14], suffixes);
    }

    /// <summary>Five shards, grown to twelve one at a time, then shard-3 and shard-8 removed.</summary>
    private static BucketTable GrownTable()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, 5).Select(i => $"shard-{i}")]);
        for (int n = 5; n < 12; n++)
            table = table.WithShardAdded($"shard-{n}");
        return table.WithShardRemoved("shard-3").WithShardRemoved("shard-8");
    }
}
