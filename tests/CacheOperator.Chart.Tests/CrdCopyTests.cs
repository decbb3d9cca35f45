namespace CacheOperator.Chart.Tests;

/// <summary>
/// The chart ships a copy of the CRD that `make crds` generates into crds/; the copy must never drift, and
/// until the generator has run there is no copy at all (no hand-written placeholder).
/// </summary>
public sealed class CrdCopyTests(HelmCli helm) : IClassFixture<HelmCli>
{
    [Fact]
    public void ChartCrd_IsAByteForByteCopyOfTheGeneratedCrd()
    {
        if (!File.Exists(RepositoryPaths.GeneratedCrd))
        {
            Assert.False(File.Exists(RepositoryPaths.ChartCrd), $"{RepositoryPaths.ChartCrd} exists but {RepositoryPaths.GeneratedCrd} does not: the chart's copy must come from `make crds`");
            return;
        }

        Assert.True(File.Exists(RepositoryPaths.ChartCrd), $"{RepositoryPaths.ChartCrd} is missing: run `make crds`");
        Assert.True(
            File.ReadAllBytes(RepositoryPaths.GeneratedCrd).AsSpan().SequenceEqual(File.ReadAllBytes(RepositoryPaths.ChartCrd)),
            $"{RepositoryPaths.ChartCrd} differs from {RepositoryPaths.GeneratedCrd}: run `make crds`");
    }

    [Fact]
    public void ChartCrdsFolder_HoldsOnlyTheGeneratedCrd()
    {
        var folder = Path.Combine(RepositoryPaths.Chart, "crds");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).ToList() : [];

        Assert.All(files, f => Assert.Equal(RepositoryPaths.CrdFileName, f));
    }

    [Fact]
    public void IncludeCrds_RendersTheCacheClusterCrd_WhenGenerated()
    {
        var chart = helm.Render("--include-crds");

        var crds = chart.OfKind("CustomResourceDefinition").ToList();
        if (!File.Exists(RepositoryPaths.ChartCrd))
        {
            Assert.Empty(crds);
            return;
        }

        var crd = Assert.Single(crds);
        Assert.Equal("cacheclusters.cacheoperator.io", RenderedChart.Name(crd));
        Assert.Equal("cacheoperator.io", (string?)crd["spec"]?["group"]);
        Assert.Equal("CacheCluster", (string?)crd["spec"]?["names"]?["kind"]);
        Assert.Equal("Namespaced", (string?)crd["spec"]?["scope"]);
    }
}
