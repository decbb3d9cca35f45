using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.HarnessChecks;

/// <summary>The node must be started from the build of the same Configuration as the tests, Debug or Release.</summary>
public sealed class RepositoryLayoutTests
{
    [Fact]
    public void NodeDllPath_FollowsTheConfigurationThisAssemblyWasBuiltIn()
    {
        var configuration = RepositoryLayout.Configuration;
        var separator = Path.DirectorySeparatorChar;

        Assert.Contains($"{separator}bin{separator}{configuration}{separator}", AppContext.BaseDirectory, StringComparison.Ordinal);
        Assert.Equal(
            Path.Combine(RepositoryLayout.RepositoryRoot, "cache-node", "src", "CacheOperator.CacheNode", "bin", configuration, "net10.0", "cache-node.dll"),
            RepositoryLayout.NodeDllPath);
        Assert.True(File.Exists(Path.Combine(RepositoryLayout.RepositoryRoot, "CacheOperator.sln")));
    }
}
