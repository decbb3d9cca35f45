using System.Text;

namespace CacheOperator.Ring.Tests;

public class BucketTableTests
{
    [Fact]
    public void Create_GivesContiguousRanges_LargerFirst()
    {
        var table = BucketTable.Create(["a", "b", "c"], 8);

        Assert.Equal("a a a b b b c c", string.Join(' ', Enumerable.Range(0, 8).Select(table.ShardOf)));
        Assert.Equal([0, 1, 2], table.BucketsOf("a"));
    }

    [Fact]
    public void Rebalance_ReplacingOneShard_MovesOnlyItsBucketsToTheNewcomer()
    {
        var table = BucketTable.Create(["shard-0", "shard-1", "shard-2"], 16);

        var next = table.Rebalance(["shard-0", "shard-1", "shard-9"]);
        var diff = BucketTable.Diff(table, next);

        Assert.Equal(table.BucketsOf("shard-2"), diff.Moves.Select(m => m.Bucket));
        Assert.All(diff.Moves, m => Assert.Equal("shard-9", m.ToShard));
    }

    [Fact]
    public void FromAssignment_RoundTripsToAssignment()
    {
        int[] assignment = [1, 0, 1, 1, 0, 2];

        var table = BucketTable.FromAssignment(["x", "y", "z"], assignment);

        Assert.Equal(assignment, table.ToAssignment());
        Assert.Equal(3, table.BucketCountOf(1));
    }

    [Theory]
    [InlineData(new[] { 0, 3 })]
    [InlineData(new[] { 0, -1 })]
    public void FromAssignment_UnknownShardIndex_Throws(int[] assignment)
    {
        Assert.ThrowsAny<ArgumentException>(() => BucketTable.FromAssignment(["x", "y"], assignment));
    }

    [Fact]
    public void Create_MoreShardsThanBuckets_Throws()
    {
        Assert.Throws<ArgumentException>(() => BucketTable.Create(["a", "b", "c"], 2));
    }

    [Fact]
    public void Create_DuplicateShard_Throws()
    {
        Assert.Throws<ArgumentException>(() => BucketTable.Create(["a", "a"]));
    }

    [Fact]
    public void Diff_DifferentBucketCounts_Throws()
    {
        Assert.Throws<ArgumentException>(() => BucketTable.Diff(BucketTable.Create(["a"], 8), BucketTable.Create(["a"], 16)));
    }

    [Fact]
    public void BucketOf_MatchesBucketOfHash()
    {
        byte[] key = Encoding.ASCII.GetBytes("some:key");

        Assert.Equal(
            BucketTable.BucketOfHash(CacheOperator.Hashing.KeyHasher.Hash(key), 1000),
            BucketTable.BucketOf(key, 1000));
    }
}
