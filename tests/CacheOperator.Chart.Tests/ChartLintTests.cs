namespace CacheOperator.Chart.Tests;

public sealed class ChartLintTests(HelmCli helm) : IClassFixture<HelmCli>
{
    [Theory]
    [InlineData("")]
    [InlineData("watchNamespace=apps")]
    [InlineData("metrics.serviceMonitor.enabled=true,networkPolicy.enabled=true")]
    [InlineData("leaderElection.enabled=false,replicaCount=1,rbac.create=false,serviceAccount.create=false")]
    public void Lint_Strict_Passes(string setValues)
    {
        string[] args = ["lint", "--strict", RepositoryPaths.Chart, .. SetArgs(setValues)];

        var result = helm.Run(args);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("0 chart(s) failed", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_WithoutStrict_Passes()
    {
        var result = helm.Run(["lint", RepositoryPaths.Chart]);

        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public void Lint_WithValueOfWrongType_Fails()
    {
        var result = helm.Run(["lint", RepositoryPaths.Chart, "--set", "replicaCount=abc"]);

        Assert.False(result.Succeeded, result.ToString());
    }

    [Fact]
    public void Package_ProducesTheVersionedArchive()
    {
        var output = Directory.CreateTempSubdirectory("chart-tests-package-");
        try
        {
            var result = helm.Run(["package", RepositoryPaths.Chart, "--destination", output.FullName]);

            Assert.True(result.Succeeded, result.ToString());
            Assert.Equal("cache-operator-0.1.0.tgz", Path.GetFileName(Assert.Single(Directory.GetFiles(output.FullName))));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string[] SetArgs(string setValues) => setValues.Length == 0 ? [] : ["--set", setValues];
}
