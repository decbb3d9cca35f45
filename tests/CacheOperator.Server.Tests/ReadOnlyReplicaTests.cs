namespace CacheOperator.Server.Tests;

/// <summary>A node tailing its primary serves reads and refuses client writes until it is promoted.</summary>
public sealed class ReadOnlyReplicaTests
{
    private const string Refused = "SERVER_ERROR this node is a read-only replica\r\n";

    [Theory]
    [InlineData("set k 0 0 5\r\nhello\r\n")]
    [InlineData("add k 0 0 5\r\nhello\r\n")]
    [InlineData("append k 0 0 2\r\nxx\r\n")]
    [InlineData("cas k 0 0 1 1\r\nx\r\n")]
    [InlineData("delete k\r\n")]
    [InlineData("incr n 1\r\n")]
    [InlineData("touch k 10\r\n")]
    [InlineData("flush_all\r\n")]
    [InlineData("ms k 2\r\nhi\r\n")]
    [InlineData("md k\r\n")]
    [InlineData("ma n\r\n")]
    public async Task Write_OnReplica_IsRefused_AndChangesNothing(string request)
    {
        await using var session = new SessionHarness();
        await session.RoundTripAsync("set k 0 0 3\r\nold\r\nset n 0 0 1\r\n5\r\n");
        session.Store.IsReadOnlyReplica = true;

        Assert.Equal(Refused, await session.RoundTripAsync(request));
        // The data block was dropped, not read as commands, and the item is untouched.
        Assert.Equal("VALUE k 0 3\r\nold\r\nVALUE n 0 1\r\n5\r\nEND\r\n", await session.RoundTripAsync("get k n\r\n"));
    }

    [Fact]
    public async Task Write_WithNoreply_OnReplica_IsSilent()
    {
        await using var session = new SessionHarness();
        session.Store.IsReadOnlyReplica = true;
        Assert.Equal("END\r\n", await session.RoundTripAsync("set k 0 0 5 noreply\r\nhello\r\nget k\r\n"));
    }

    [Fact]
    public async Task Write_AfterPromotion_IsApplied()
    {
        await using var session = new SessionHarness();
        session.Store.IsReadOnlyReplica = true;
        Assert.Equal(Refused, await session.RoundTripAsync("set k 0 0 1\r\nx\r\n"));
        session.Store.IsReadOnlyReplica = false;
        Assert.Equal("STORED\r\n", await session.RoundTripAsync("set k 0 0 1\r\nx\r\n"));
    }
}
