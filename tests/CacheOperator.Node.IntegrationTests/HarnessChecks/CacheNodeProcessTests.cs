using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.HarnessChecks;

/// <summary>When the node cannot start, the harness must say why (its stderr), quickly, and leave no process behind.</summary>
[Trait("Category", "Integration")]
public sealed class CacheNodeProcessTests
{
    [Fact]
    public void Start_WhenNodeRejectsItsArguments_FailsWithTheNodesStderr()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CacheNodeProcess.Start(extraArguments: ["--no-such-option"]));

        Assert.Contains("exited before printing its ready line", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-such-option", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ReportsTheBoundPortsAndDisposeKillsTheNode()
    {
        int pid;
        using (var node = CacheNodeProcess.Start())
        {
            pid = node.Pid;
            Assert.NotEqual(0, node.Port);
            Assert.NotEqual(0, node.AdminPort);
            Assert.NotEqual(node.Port, node.AdminPort);
            Assert.NotNull(node.ReadRssKilobytes());
        }

        Assert.False(Directory.Exists($"/proc/{pid}"), $"The node (pid {pid}) outlived Dispose.");
    }
}
