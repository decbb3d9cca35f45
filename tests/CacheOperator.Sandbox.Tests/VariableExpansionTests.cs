using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public class VariableExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["POD_IP"] = "127.1.0.7",
        ["NAME"] = "cache-0",
        ["EMPTY"] = "",
    };

    [Theory]
    [InlineData("-l $(POD_IP)", "-l 127.1.0.7")]
    [InlineData("$(NAME)-$(POD_IP)", "cache-0-127.1.0.7")]
    [InlineData("$$(POD_IP)", "$(POD_IP)")]
    [InlineData("$$$(NAME)", "$cache-0")]
    [InlineData("$(UNDEFINED)", "$(UNDEFINED)")]
    [InlineData("x$(EMPTY)y", "xy")]
    [InlineData("$(POD_IP", "$(POD_IP")]
    [InlineData("cost $5", "cost $5")]
    [InlineData("trailing $", "trailing $")]
    [InlineData("no variables", "no variables")]
    [InlineData("$()", "$()")]
    public void Expand_FollowsKubernetesRules(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, name => Vars.GetValueOrDefault(name)));
}
