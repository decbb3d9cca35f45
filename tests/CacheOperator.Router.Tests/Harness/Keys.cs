using System.Text;
using CacheOperator.Ring;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>Test keys chosen by where the ring puts them.</summary>
internal static class Keys
{
    /// <summary>The shard index of a key in the ring's pool for it.</summary>
    public static int ShardOf(CacheRing ring, string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        return ring.SelectPool(bytes).ShardIndexOfKey(bytes);
    }

    /// <summary>The first <paramref name="count"/> keys <c>prefix0, prefix1, …</c> on a shard.</summary>
    public static string[] OnShard(CacheRing ring, int shard, string prefix, int count) =>
        [.. Enumerable.Range(0, 100_000).Select(i => prefix + i).Where(k => ShardOf(ring, k) == shard).Take(count)];
}
