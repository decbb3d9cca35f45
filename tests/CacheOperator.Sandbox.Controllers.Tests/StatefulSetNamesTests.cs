using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class StatefulSetNamesTests
{
    [Theory]
    [InlineData("web", "web-0", 0)]
    [InlineData("web", "web-12", 12)]
    [InlineData("my-set", "my-set-3", 3)]
    public void TryParseOrdinal_OwnPodName_ReturnsOrdinal(string set, string pod, int expected)
    {
        Assert.True(StatefulSetNames.TryParseOrdinal(set, pod, out int ordinal));
        Assert.Equal(expected, ordinal);
        Assert.Equal(pod, StatefulSetNames.PodName(set, ordinal));
    }

    [Theory]
    [InlineData("web", "web")]
    [InlineData("web", "web-")]
    [InlineData("web", "web-01")]
    [InlineData("web", "web-1-x")]
    [InlineData("web", "web--1")]
    [InlineData("web", "web-+1")]
    [InlineData("web", "webx-1")]
    [InlineData("web", "other-1")]
    [InlineData("web", "web-99999999999")]
    public void TryParseOrdinal_OtherName_IsFalse(string set, string pod)
    {
        Assert.False(StatefulSetNames.TryParseOrdinal(set, pod, out _));
    }
}
