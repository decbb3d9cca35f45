using System.Text;

namespace CacheOperator.Ring.Tests;

public class RoutingTests
{
    private static RingPool Pool(string name, int shards, params string[] prefixes)
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, shards).Select(i => $"shard-{i}")]);
        return new RingPool(name, prefixes, table, [.. table.Shards.Select((id, i) => new ShardEndpoints(id, new NodeAddress($"{name}-{i}", 11211)))]);
    }

    private static CacheRing PrefixRing() => new(
        1,
        [Pool("main", 4), Pool("users", 2, "user:"), Pool("admins", 2, "user:admin:"), Pool("u", 1, "u")],
        "main");

    [Theory]
    [InlineData("user:admin:42", "admins")]
    [InlineData("user:admin:", "admins")]
    [InlineData("user:admi", "users")]
    [InlineData("user:42", "users")]
    [InlineData("user", "u")]
    [InlineData("us", "u")]
    [InlineData("session:1", "main")]
    [InlineData("", "main")]
    [InlineData("USER:1", "main")]
    public void SelectPool_PicksTheLongestMatchingPrefix_ElseTheDefault(string key, string expected)
    {
        Assert.Equal(expected, PrefixRing().SelectPool(Encoding.UTF8.GetBytes(key)).Name);
    }

    [Fact]
    public void ShardForKey_FollowsKeyToBucketToShard()
    {
        var pool = Pool("main", 7);
        for (int i = 0; i < 1000; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"key:{i}");
            int bucket = pool.Table.BucketOf(key);
            var shard = pool.ShardForKey(key);

            Assert.InRange(bucket, 0, BucketTable.DefaultBucketCount - 1);
            Assert.Equal(pool.Table.ShardOf(bucket), shard.Id);
            Assert.Equal(pool.Table.IndexOfShard(shard.Id), pool.ShardIndexOfKey(key));
        }
    }

    [Fact]
    public void BucketOf_SpreadsKeysEvenlyOverBuckets()
    {
        const int keys = 200_000;
        var perShard = new int[16];
        var table = BucketTable.Create([.. Enumerable.Range(0, 16).Select(i => $"shard-{i}")]);
        for (int i = 0; i < keys; i++)
            perShard[table.ShardIndexOfKey(Encoding.ASCII.GetBytes($"k{i}"))]++;

        // Each shard expects 12500 keys; ±5% is over 20 standard deviations, so only a broken mapping fails.
        Assert.All(perShard, count => Assert.InRange(count, 11875, 13125));
    }

    [Fact]
    public void Lookups_AllocateNothing()
    {
        var ring = PrefixRing();
        byte[] key = "user:admin:12345"u8.ToArray();
        Span<int> suffixes = stackalloc int[4];
        int sink = 0;
        for (int i = 0; i < 10; i++)
            sink += ring.SelectPool(key).ShardIndexOfKey(key) + HotKeyCopies.FindSuffixes(ring.Default.Table, key, 3, suffixes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            var pool = ring.SelectPool(key);
            sink += pool.ShardForKey(key).Primary.Port + pool.ShardIndexOfKey(key);
            sink += HotKeyCopies.FindSuffixes(ring.Default.Table, key, 3, suffixes);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
    }

    [Fact]
    public void GutterNodeIndexOfKey_SpreadsOneShardsKeysOverAllGutterNodes()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, 8).Select(i => $"shard-{i}")]);
        var gutter = new GutterPool([new NodeAddress("g0", 1), new NodeAddress("g1", 1), new NodeAddress("g2", 1)], 10);
        var used = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"key:{i}");
            if (table.ShardIndexOfKey(key) == 0)
                used.Add(gutter.NodeIndexOfKey(key));
        }

        Assert.Equal(3, used.Count);
    }
}
