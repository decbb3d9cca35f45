using System.Text;

namespace CacheOperator.Ring.Tests;

public class HotKeyCopiesTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    [InlineData(8, 8)]
    [InlineData(64, 8)]
    [InlineData(64, 64)]
    [InlineData(256, 4)]
    [InlineData(256, 64)]
    public void FindSuffixes_LandsOnDistinctShards_MinOfCopiesAndShards(int shards, int copies)
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, shards).Select(i => $"shard-{i}")]);
        Span<int> suffixes = stackalloc int[copies];
        Span<byte> copyKey = stackalloc byte[64];
        int keys = shards * copies > 4096 ? 50 : 300;
        for (int i = 0; i < keys; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"hot:{i}");
            int found = HotKeyCopies.FindSuffixes(table, key, copies, suffixes);

            Assert.Equal(Math.Min(copies, shards), found);
            var landed = new HashSet<int>();
            for (int c = 0; c < found; c++)
            {
                int length = HotKeyCopies.FormatCopyKey(key, suffixes[c], copyKey);
                Assert.True(landed.Add(table.ShardIndexOfKey(copyKey[..length])), $"key {i}: copy #{suffixes[c]} repeats a shard");
            }
        }
    }

    [Fact]
    public void FindSuffixes_IsDeterministicAndStartsFromOne()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, 16).Select(i => $"shard-{i}")]);
        var a = new int[4];
        var b = new int[4];

        HotKeyCopies.FindSuffixes(table, "popular:item"u8, 4, a);
        HotKeyCopies.FindSuffixes(table, "popular:item"u8, 4, b);

        Assert.Equal(a, b);
        Assert.Equal(1, a[0]);
        Assert.True(a.SequenceEqual(a.Order()), "suffixes are tried in increasing order");
    }

    [Fact]
    public void FindSuffixes_KeyLongerThanTheStackBuffer_StillWorks()
    {
        var table = BucketTable.Create([.. Enumerable.Range(0, 8).Select(i => $"shard-{i}")]);
        var suffixes = new int[3];

        Assert.Equal(3, HotKeyCopies.FindSuffixes(table, new byte[4000], 3, suffixes));
    }

    [Fact]
    public void FormatCopyKey_AppendsHashAndNumber()
    {
        Span<byte> buffer = stackalloc byte[32];

        int length = HotKeyCopies.FormatCopyKey("abc"u8, 12, buffer);

        Assert.Equal("abc#12", Encoding.ASCII.GetString(buffer[..length]));
    }
}
