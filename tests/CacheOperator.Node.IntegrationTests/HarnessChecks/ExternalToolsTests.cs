using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.HarnessChecks;

/// <summary>A missing third-party tool must fail the suite with the fix, never let it pass silently.</summary>
public sealed class ExternalToolsTests
{
    [Fact]
    public void RequireFile_WhenMissing_FailsAndSaysToRunMakeDeps()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExternalTools.RequireFile("/nonexistent/memcached", "memcached"));

        Assert.Contains("make deps", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/memcached", error.Message, StringComparison.Ordinal);
    }
}
