using System.Text;
using System.Text.Json.Nodes;

namespace CacheOperator.Ring.Tests;

public class RingLoaderTests
{
    private static byte[] Version(long version) =>
        Encoding.UTF8.GetBytes(RingDocumentSamples.ValidWith(r => r["version"] = version));

    [Fact]
    public void TryLoad_First_Applies()
    {
        var loader = new RingLoader();

        var result = loader.TryLoad(Version(3));

        Assert.Equal(RingLoadStatus.Applied, result.Status);
        Assert.Equal(3, loader.CurrentVersion);
    }

    [Fact]
    public void TryLoad_Invalid_KeepsTheLastGoodRing()
    {
        var loader = new RingLoader();
        loader.TryLoad(Version(3));
        var good = loader.Current;

        var result = loader.TryLoad(Encoding.UTF8.GetBytes(RingDocumentSamples.ValidWith(r => { r["version"] = 4; r["pools"] = new JsonArray(); })));

        Assert.Equal(RingLoadStatus.Invalid, result.Status);
        Assert.Equal("$.pools: must list at least one pool", result.Error);
        Assert.Same(good, loader.Current);
        Assert.Equal(3, result.CurrentVersion);
    }

    [Fact]
    public void TryLoad_Older_IsRefused()
    {
        var loader = new RingLoader();
        loader.TryLoad(Version(5));

        var result = loader.TryLoad(Version(4));

        Assert.Equal(RingLoadStatus.Stale, result.Status);
        Assert.Equal(5, loader.CurrentVersion);
    }

    [Fact]
    public void TryLoad_SameVersion_IsUnchangedAndKeepsTheInstance()
    {
        var loader = new RingLoader();
        loader.TryLoad(Version(5));
        var current = loader.Current;

        Assert.Equal(RingLoadStatus.Unchanged, loader.TryLoad(Version(5)).Status);
        Assert.Same(current, loader.Current);
    }

    [Fact]
    public void TryLoad_Newer_Swaps()
    {
        var loader = new RingLoader();
        loader.TryLoad(Version(5));

        Assert.Equal(RingLoadStatus.Applied, loader.TryLoad(Version(6)).Status);
        Assert.Equal(6, loader.CurrentVersion);
    }

    [Fact]
    public void TryApply_ConcurrentVersions_EndsWithTheNewest()
    {
        var rings = Enumerable.Range(1, 200).Select(v => RingDocumentSamples.LargeRing(v)).ToArray();
        var loader = new RingLoader();
        var versionsSeen = new int[4];

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            // Each worker offers the versions in a different order; the loader must never move backwards.
            var order = rings.OrderBy(r => (r.Version * (worker + 7)) % 211).ToArray();
            long last = 0;
            foreach (var ring in order)
            {
                loader.TryApply(ring);
                long now = loader.CurrentVersion;
                Assert.True(now >= last, $"version went from {last} to {now}");
                last = now;
            }

            versionsSeen[worker] = (int)last;
        });

        Assert.Equal(200, loader.CurrentVersion);
        Assert.All(versionsSeen, v => Assert.Equal(200, v));
    }
}
