using CacheOperator.Sandbox.Controllers.Scheduling;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class NodeChooserTests
{
    [Fact]
    public void Choose_PrefersReadySchedulableNodeWithFewestPods()
    {
        NodeFacts[] nodes =
        [
            new("busy") { Ready = true, PodCount = 5 },
            new("down") { Ready = false },
            new("cordoned") { Ready = true, Unschedulable = true },
            new("quiet") { Ready = true, PodCount = 1 },
        ];

        Assert.Equal("quiet", NodeChooser.Choose(nodes, null)?.Name);
    }

    [Fact]
    public void Choose_HonoursNodeSelector()
    {
        NodeFacts[] nodes =
        [
            new("a") { Ready = true },
            new("b") { Ready = true, PodCount = 3, Labels = new Dictionary<string, string> { ["disk"] = "ssd" } },
        ];

        Assert.Equal("b", NodeChooser.Choose(nodes, new Dictionary<string, string> { ["disk"] = "ssd" })?.Name);
    }

    [Fact]
    public void Choose_NoReadyNode_IsNullAndExplained()
    {
        NodeFacts[] nodes = [new("down") { Ready = false }];

        Assert.Null(NodeChooser.Choose(nodes, null));
        Assert.Equal("0/1 nodes are available: 1 node(s) not ready.", NodeChooser.Explain(nodes, null));
    }
}
