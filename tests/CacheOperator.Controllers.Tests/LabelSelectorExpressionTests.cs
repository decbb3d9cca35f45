namespace CacheOperator.Controllers.Tests;

public sealed class LabelSelectorExpressionTests
{
    [Theory]
    [InlineData("", "app=x", true)]
    [InlineData("app=x", "app=x", true)]
    [InlineData("app==x", "app=x", true)]
    [InlineData("app=x", "app=y", false)]
    [InlineData("app=x", "", false)]
    [InlineData("app!=x", "", true)]
    [InlineData("app!=x", "app=x", false)]
    [InlineData("app in (x, y)", "app=y", true)]
    [InlineData("app in (x,y)", "app=z", false)]
    [InlineData("app notin (x)", "", true)]
    [InlineData("app notin (x)", "app=x", false)]
    [InlineData("app", "app=anything", true)]
    [InlineData("!app", "app=anything", false)]
    [InlineData("!app", "other=1", true)]
    [InlineData("app=x,tier in (a,b),!legacy", "app=x,tier=b", true)]
    [InlineData("app=x,tier in (a,b),!legacy", "app=x,tier=b,legacy=1", false)]
    public void Matches_FollowsKubernetesSemantics(string selector, string labels, bool expected)
    {
        var map = labels.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('='))
            .ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(expected, LabelSelectorExpression.Parse(selector).Matches(map));
    }

    [Theory]
    [InlineData("app in (x")]
    [InlineData("app)")]
    [InlineData("app=x,,tier=y")]
    [InlineData("app (x)")]
    [InlineData("=x")]
    public void Parse_Malformed_Throws(string selector)
    {
        Assert.Throws<FormatException>(() => LabelSelectorExpression.Parse(selector));
    }

    [Fact]
    public void FromModel_CombinesMatchLabelsAndExpressions()
    {
        var model = new Kubernetes.Models.LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "cache" },
            MatchExpressions = [new Kubernetes.Models.LabelSelectorRequirement { Key = "pool", Operator = "In", Values = ["a"] }],
        };

        var selector = LabelSelectorExpression.FromModel(model);

        Assert.Equal("app=cache,pool in (a)", selector.ToString());
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "cache", ["pool"] = "a" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "cache", ["pool"] = "b" }));
    }
}
