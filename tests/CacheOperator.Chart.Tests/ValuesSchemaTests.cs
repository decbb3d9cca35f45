namespace CacheOperator.Chart.Tests;

public sealed class ValuesSchemaTests(HelmCli helm) : IClassFixture<HelmCli>
{
    [Theory]
    [InlineData("replicaCount=abc", "replicaCount")]
    [InlineData("replicaCount=0", "replicaCount")]
    [InlineData("surprise=1", "surprise")]
    [InlineData("image.pullPolicy=Sometimes", "pullPolicy")]
    [InlineData("image.registry=elsewhere", "registry")]
    [InlineData("watchNamespace=Not_A_Namespace", "watchNamespace")]
    [InlineData("leaderElection.enabled=maybe", "enabled")]
    [InlineData("metrics.port=70000", "port")]
    [InlineData("metrics.serviceMonitor.enabled=yes", "enabled")]
    [InlineData("rbac.create=1", "create")]
    [InlineData("tolerations=none", "tolerations")]
    public void Template_WithABadValue_FailsNamingIt(string setValue, string field)
    {
        var result = helm.Template("--set", setValue);

        Assert.False(result.Succeeded, $"--set {setValue} was accepted:\n{result}");
        Assert.Contains("schema", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(field, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_WithTheDefaultValuesFile_PassesTheSchema()
    {
        var result = helm.Template("--values", Path.Combine(RepositoryPaths.Chart, "values.yaml"));

        Assert.True(result.Succeeded, result.ToString());
    }
}
