using CacheOperator.Operator;

namespace CacheOperator.Reconciler.Tests;

public class OperatorOptionsTests
{
    private static OperatorOptions Parse(string[] args, string? podNamespace = null) =>
        OperatorOptions.Parse(args, name => name == "POD_NAMESPACE" ? podNamespace : null);

    [Fact]
    public void Defaults_MatchTheSharedContract()
    {
        var options = Parse([]);

        Assert.Equal(8080, options.MetricsPort);
        Assert.False(options.LeaderElect);
        Assert.Null(options.WatchNamespace);
        Assert.Equal("ghcr.io/cacheoperator/cache-node:0.1.0", options.CacheNodeImage);
    }

    [Theory]
    [InlineData(new[] { "--leader-elect" }, true)]
    [InlineData(new[] { "--leader-elect=true" }, true)]
    [InlineData(new[] { "--leader-elect=false" }, false)]
    [InlineData(new string[0], false)]
    public void LeaderElect_IsABoolFlag(string[] args, bool expected) => Assert.Equal(expected, Parse(args).LeaderElect);

    [Fact]
    public void ChartStyleArguments_AreRead()
    {
        var options = Parse(["--leader-elect=true", "--leader-election-namespace=ops", "--metrics-port=9090",
            "--cache-node-image=registry.test/cache-node:9", "--watch-namespace", "shop", "--kubeconfig", "/tmp/k"]);

        Assert.Equal((true, "ops", 9090, "registry.test/cache-node:9", "shop", "/tmp/k"),
            (options.LeaderElect, options.LeaderElectionNamespace, options.MetricsPort, options.CacheNodeImage, options.WatchNamespace, options.Kubeconfig));
    }

    [Fact]
    public void LeaderElectionNamespace_DefaultsToPodNamespace() =>
        Assert.Equal("cache-system", Parse([], podNamespace: "cache-system").LeaderElectionNamespace);

    [Fact]
    public void EmptyWatchNamespace_MeansAll() => Assert.Null(Parse(["--watch-namespace="]).WatchNamespace);

    [Theory]
    [InlineData("--metrics-port", "http")]
    [InlineData("--metrics-port", "70000")]
    [InlineData("--leader-elect=maybe", null)]
    [InlineData("--frobnicate", null)]
    [InlineData("--kubeconfig", null)]
    public void BadArguments_AreRejected(string flag, string? value) =>
        Assert.Throws<FormatException>(() => Parse(value is null ? [flag] : [flag, value]));
}
