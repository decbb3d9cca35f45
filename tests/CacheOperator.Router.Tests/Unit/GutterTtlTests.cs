using System.Text;
using CacheOperator.Router.Routing;

namespace CacheOperator.Router.Tests.Unit;

/// <summary>Writes sent to the gutter get the ring's TTL cap; everything else in the request stays as it was.</summary>
public sealed class GutterTtlTests
{
    [Theory]
    [InlineData("set k 5 0 2\r\nab\r\n", false, "set k 5 10 2\r\nab\r\n")]
    [InlineData("set k 5 3 2 noreply\r\nab\r\n", false, "set k 5 3 2 noreply\r\nab\r\n")]
    [InlineData("add k 0 1800000000 1\r\na\r\n", false, "add k 0 10 1\r\na\r\n")]
    [InlineData("cas k 0 100 1 77\r\na\r\n", false, "cas k 0 10 1 77\r\na\r\n")]
    [InlineData("set k 0 -1 1\r\na\r\n", false, "set k 0 -1 1\r\na\r\n")]
    [InlineData("ms k 2 T100 F3\r\nab\r\n", true, "ms k 2 T10 F3\r\nab\r\n")]
    [InlineData("ms k 2 F3\r\nab\r\n", true, "ms k 2 F3 T10\r\nab\r\n")]
    [InlineData("ms k 2 T5 q\r\nab\r\n", true, "ms k 2 T5 q\r\nab\r\n")]
    public void CapTtl_RewritesOnlyTheExpiry(string request, bool meta, string expected)
    {
        using var capped = RequestRouter.CapTtl(Encoding.ASCII.GetBytes(request), 10, meta);
        Assert.NotNull(capped);
        Assert.Equal(expected, Encoding.ASCII.GetString(capped.Span));
    }

    [Theory]
    [InlineData("incr k 1\r\n", false)]
    [InlineData("ma k\r\n", true)]
    public void CapTtl_LeavesOtherWritesAlone(string request, bool meta) =>
        Assert.Null(RequestRouter.CapTtl(Encoding.ASCII.GetBytes(request), 10, meta));
}
