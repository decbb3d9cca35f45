namespace CacheOperator.Ring.Tests;

/// <summary>Structural equality of rings, member by member, so a failure names what differs.</summary>
internal static class RingAssert
{
    public static void Equal(CacheRing expected, CacheRing actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Default.Name, actual.Default.Name);
        Assert.Equal(expected.Standbys, actual.Standbys);
        Assert.Equal(expected.Router, actual.Router);
        Assert.Equal(expected.Gutter is null, actual.Gutter is null);
        if (expected.Gutter is { } gutter)
        {
            Assert.Equal(gutter.Nodes, actual.Gutter!.Nodes);
            Assert.Equal(gutter.TtlCapSeconds, actual.Gutter.TtlCapSeconds);
        }

        Assert.Equal(expected.Pools.Count, actual.Pools.Count);
        for (int i = 0; i < expected.Pools.Count; i++)
        {
            var e = expected.Pools[i];
            var a = actual.Pools[i];
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Prefixes, a.Prefixes);
            Assert.True(e.Table.ContentEquals(a.Table), $"pool '{e.Name}': bucket tables differ");
            Assert.Equal(e.Shards.Count, a.Shards.Count);
            for (int j = 0; j < e.Shards.Count; j++)
            {
                Assert.Equal(e.Shards[j].Id, a.Shards[j].Id);
                Assert.Equal(e.Shards[j].Primary, a.Shards[j].Primary);
                Assert.Equal(e.Shards[j].Replicas, a.Shards[j].Replicas);
            }
        }
    }
}
