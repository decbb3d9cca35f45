namespace CacheOperator.Ring.Tests;

/// <summary>
/// Balance is read as: every shard's bucket count is ⌊B/N⌋ or ⌈B/N⌉, i.e. max − min ≤ 1 bucket. That is at
/// least as strict as "within 1% of the mean" whenever 1% of the mean is ≥ 1 bucket (N ≤ 163 at B = 16384), and
/// at larger N, where 1% of the mean is under one bucket, it is the tightest balance an integer split allows.
/// </summary>
public class BucketTableRebalanceTests
{
    private const int Buckets = BucketTable.DefaultBucketCount;
    private const int MaxShards = 256;

    private static string Id(int ordinal) => $"shard-{ordinal}";

    [Fact]
    public void Create_IsBalanced_ForEveryShardCountUpTo256()
    {
        for (int n = 1; n <= MaxShards; n++)
            AssertBalanced(BucketTable.Create([.. Enumerable.Range(0, n).Select(Id)]), n);
    }

    [Fact]
    public void GrowingOneAtATime_To256_MovesOnlyToTheNewShard_EvenlyFromTheOthers()
    {
        var table = BucketTable.Create([Id(0)]);
        for (int n = 2; n <= MaxShards; n++)
        {
            string added = Id(n - 1);
            var next = table.WithShardAdded(added);
            var diff = BucketTable.Diff(table, next);

            AssertBalanced(next, n);
            Assert.All(diff.Moves, m => Assert.Equal(added, m.ToShard));
            Assert.Equal(Buckets / n, diff.Moves.Count);
            Assert.Equal(next.BucketCountOf(n - 1), diff.Moves.Count);

            // Evenly: any two old shards give the same number of buckets, give or take one.
            var gifts = Enumerable.Range(0, n - 1).Select(i => diff.Moves.Count(m => m.FromShard == Id(i))).ToArray();
            Assert.True(gifts.Max() - gifts.Min() <= 1, $"n={n}: gifts {gifts.Min()}..{gifts.Max()}");
            table = next;
        }
    }

    [Fact]
    public void ShrinkingFromTheEnd_To1_MovesOnlyTheRemovedShardsBuckets_Evenly()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, MaxShards).Select(Id)]);
        for (int n = MaxShards - 1; n >= 1; n--)
            table = AssertRemovalIsMinimal(table, Id(n));
    }

    [Fact]
    public void RemovingFromTheMiddle_MovesOnlyTheRemovedShardsBuckets_Evenly()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, MaxShards).Select(Id)]);
        var random = new Random(1234);
        while (table.Shards.Count > 1)
        {
            string victim = table.Shards[random.Next(table.Shards.Count)];
            table = AssertRemovalIsMinimal(table, victim);
        }
    }

    [Fact]
    public void MixedAddsAndRemoves_StayBalancedAndMinimal()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, 8).Select(Id)]);
        int nextOrdinal = 8;
        var random = new Random(99);
        for (int step = 0; step < 400; step++)
        {
            bool add = table.Shards.Count == 1 || (table.Shards.Count < MaxShards && random.Next(3) != 0);
            if (add)
            {
                string id = Id(nextOrdinal++);
                var next = table.WithShardAdded(id);
                var diff = BucketTable.Diff(table, next);
                Assert.All(diff.Moves, m => Assert.Equal(id, m.ToShard));
                Assert.Equal(Buckets / next.Shards.Count, diff.Moves.Count);
                AssertBalanced(next, next.Shards.Count);
                var gifts = table.Shards.Select(s => diff.Moves.Count(m => m.FromShard == s)).ToArray();
                Assert.True(gifts.Max() - gifts.Min() <= 1, $"adding {id}: gifts {gifts.Min()}..{gifts.Max()}");
                table = next;
            }
            else
            {
                table = AssertRemovalIsMinimal(table, table.Shards[random.Next(table.Shards.Count)]);
            }
        }
    }

    [Fact]
    public void Rebalance_IsAFunctionOfTableAndChange()
    {
        var a = BucketTable.Create([.. Enumerable.Range(0, 5).Select(Id)]).WithShardAdded("shard-5").WithShardRemoved("shard-2");
        var b = BucketTable.Create([.. Enumerable.Range(0, 5).Select(Id)]).WithShardAdded("shard-5").WithShardRemoved("shard-2");

        Assert.True(a.ContentEquals(b));
    }

    [Fact]
    public void Rebalance_SameShards_MovesNothing()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, 7).Select(Id)]).WithShardAdded("shard-7");

        Assert.Empty(BucketTable.Diff(table, table.Rebalance(table.Shards)).Moves);
    }

    [Fact]
    public void Diff_GroupsMovesIntoTransfersBySourceAndTarget()
    {
        var before = BucketTable.Create([Id(0), Id(1), Id(2)]);
        var after = before.WithShardRemoved(Id(1));
        var diff = BucketTable.Diff(before, after);

        Assert.Equal(2, diff.Transfers.Count);
        Assert.All(diff.Transfers, t => Assert.Equal(Id(1), t.FromShard));
        Assert.Equal(before.BucketsOf(Id(1)), diff.Transfers.SelectMany(t => t.Buckets).Order());
        Assert.Equal(after.BucketsOf(Id(0)).Length - before.BucketsOf(Id(0)).Length, diff.Transfers.Single(t => t.ToShard == Id(0)).Buckets.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void Create_WithOtherBucketCounts_IsBalanced(int shards)
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, shards).Select(Id)], bucketCount: 1000);
        Assert.Equal(1000, table.BucketCount);
        AssertBalanced(table, shards);
    }

    [Fact]
    public void WithShardAdded_Duplicate_Throws()
    {
        var table = BucketTable.Create([Id(0)]);
        Assert.Throws<ArgumentException>(() => table.WithShardAdded(Id(0)));
    }

    [Fact]
    public void WithShardRemoved_LastShard_Throws()
    {
        var table = BucketTable.Create([Id(0)]);
        Assert.Throws<InvalidOperationException>(() => table.WithShardRemoved(Id(0)));
    }

    private static BucketTable AssertRemovalIsMinimal(BucketTable table, string victim)
    {
        int owned = table.BucketCountOf(table.IndexOfShard(victim));
        var next = table.WithShardRemoved(victim);
        var diff = BucketTable.Diff(table, next);

        Assert.DoesNotContain(victim, next.Shards);
        Assert.All(diff.Moves, m => Assert.Equal(victim, m.FromShard));
        Assert.Equal(owned, diff.Moves.Count);
        AssertBalanced(next, table.Shards.Count - 1);

        // Evenly: any two remaining shards receive the same number of buckets, give or take one.
        var gifts = next.Shards.Select(s => diff.Moves.Count(m => m.ToShard == s)).ToArray();
        Assert.True(gifts.Max() - gifts.Min() <= 1, $"removing {victim}: gifts {gifts.Min()}..{gifts.Max()}");
        return next;
    }

    private static void AssertBalanced(BucketTable table, int shards)
    {
        Assert.Equal(shards, table.Shards.Count);
        var counts = Enumerable.Range(0, shards).Select(table.BucketCountOf).ToArray();
        Assert.Equal(table.BucketCount, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, $"n={shards}: counts {counts.Min()}..{counts.Max()}");
        Assert.Equal(table.BucketCount / shards, counts.Min());
    }
}
