using CacheOperator.CacheNode;

namespace CacheOperator.Server.Tests;

public class NodeSocketEngineTests
{
    [Fact]
    public void Settings_Threads_BecomeTheSocketEngineThreadCount_WithInlineCompletions()
    {
        var settings = NodeSocketEngine.Settings(new NodeOptions { Threads = 1 }, _ => null);

        Assert.Equal(
            [new(NodeSocketEngine.InlineCompletionsVariable, "1"), new(NodeSocketEngine.ThreadCountVariable, "1")],
            settings);
    }

    [Fact]
    public void Settings_VariablesAlreadyInTheEnvironment_AreLeftAsTheyAre()
    {
        var environment = new Dictionary<string, string>
        {
            [NodeSocketEngine.InlineCompletionsVariable] = "0",
            [NodeSocketEngine.ThreadCountVariable] = "4",
        };

        var settings = NodeSocketEngine.Settings(new NodeOptions { Threads = 1 }, name => environment.GetValueOrDefault(name));

        Assert.Empty(settings);
    }
}
