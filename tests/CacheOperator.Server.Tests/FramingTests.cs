using System.Text;

namespace CacheOperator.Server.Tests;

/// <summary>How requests arrive: pipelined, split anywhere, oversized, overlong.</summary>
public class FramingTests
{
    private const string Batch = "set k 1 0 5\r\nhello\r\nget k\r\nms m 2 T0\r\nhi\r\nmg m v\r\nincr k 1\r\ndelete k\r\n";
    private const string BatchReply = "STORED\r\nVALUE k 1 5\r\nhello\r\nEND\r\nHD\r\nVA 2\r\nhi\r\n"
        + "CLIENT_ERROR cannot increment or decrement non-numeric value\r\nDELETED\r\n";

    [Fact]
    public async Task PipelinedBatch_AnswersEveryRequestInOrder()
    {
        await using var session = new SessionHarness();

        Assert.Equal(BatchReply, await session.RoundTripAsync(Batch));
    }

    [Fact]
    public async Task Batch_SplitAtEveryPosition_AnswersTheSame()
    {
        var bytes = Encoding.ASCII.GetBytes(Batch + "mn\r\n");
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            await using var session = new SessionHarness();

            await session.SendAsync(bytes.AsMemory(0, cut));
            await session.SendAsync(bytes.AsMemory(cut));

            Assert.Equal(BatchReply + "MN\r\n", await session.ReadUntilAsync("MN\r\n"));
        }
    }

    [Fact]
    public async Task Batch_SentOneByteAtATime_AnswersTheSame()
    {
        await using var session = new SessionHarness();
        var bytes = Encoding.ASCII.GetBytes(Batch + "mn\r\n");

        for (var i = 0; i < bytes.Length; i++)
            await session.SendAsync(bytes.AsMemory(i, 1));

        Assert.Equal(BatchReply + "MN\r\n", await session.ReadUntilAsync("MN\r\n"));
    }

    [Fact]
    public async Task OversizedValue_IsRejectedSwallowedInPiecesAndOldValueDropped()
    {
        await using var session = new SessionHarness();
        Assert.Equal("STORED\r\n", await session.RoundTripAsync("set big 0 0 1\r\nx\r\n"));
        var size = session.Options.MaxItemSize * 2;

        await session.SendAsync($"set big 0 0 {size}\r\n");
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'v');
        for (var sent = 0; sent < size; sent += chunk.Length)
            await session.SendAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - sent)));

        Assert.Equal("SERVER_ERROR object too large for cache\r\nEND\r\n", await session.RoundTripAsync("\r\nget big\r\n"));
    }

    [Fact]
    public async Task LargestValue_SentInPieces_IsStoredWhole()
    {
        await using var session = new SessionHarness();
        var value = new string('x', 1000 * 1000);

        Assert.Equal("STORED\r\n", await session.RoundTripAsync($"set big 0 0 {value.Length}\r\n{value}\r\n"));
        Assert.Equal($"VALUE big 0 {value.Length}\r\n{value}\r\nEND\r\n", await session.RoundTripAsync("get big\r\n"));
    }

    [Theory]
    [InlineData("k", 0, 1048516)]
    [InlineData("k", 5, 1048512)]
    public async Task ValueSizeLimit_IsMemcachedsBoundary(string key, int flags, int largest)
    {
        await using var session = new SessionHarness();
        var fits = new string('x', largest);
        var overflows = fits + "x";

        Assert.Equal("STORED\r\n", await session.RoundTripAsync($"set {key} {flags} 0 {largest}\r\n{fits}\r\n"));
        Assert.Equal("SERVER_ERROR object too large for cache\r\n",
            await session.RoundTripAsync($"set {key} {flags} 0 {largest + 1}\r\n{overflows}\r\n"));
        Assert.Equal("HD\r\n", await session.RoundTripAsync($"ms {key} {largest} F{flags}\r\n{fits}\r\n"));
        Assert.Equal("SERVER_ERROR object too large for cache\r\n",
            await session.RoundTripAsync($"ms {key} {largest + 1} F{flags}\r\n{overflows}\r\n"));
    }

    [Fact]
    public async Task OverlongLine_ClosesConnectionWithoutReply()
    {
        await using var session = new SessionHarness(new NodeOptions { MaxLineLength = 1024 });

        await session.SendAsync("version\r\n" + new string('x', 2000));

        Assert.Equal("VERSION 1.6.18\r\n", await session.ReadToEndAsync());
    }

    [Fact]
    public async Task LongMultiGetLine_BeyondLineLimit_IsServed()
    {
        await using var session = new SessionHarness(new NodeOptions { MaxLineLength = 1024 });
        await session.RoundTripAsync("set k0 0 0 1\r\nv\r\n");
        var keys = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"k{i}"));

        for (var repeat = 0; repeat < 2; repeat++)
            Assert.Equal("VALUE k0 0 1\r\nv\r\nEND\r\n", await session.RoundTripAsync($"get {keys}\r\n"));
        Assert.Equal("VERSION 1.6.18\r\n", await session.RoundTripAsync("version\r\n"));
    }

    [Fact]
    public async Task NoReply_SilencesStorageCommands()
    {
        await using var session = new SessionHarness();

        var reply = await session.RoundTripAsync(
            "set a 0 0 1 noreply\r\n1\r\nadd a 0 0 1 noreply\r\n2\r\nincr a 5 noreply\r\ntouch a 10 noreply\r\n"
            + "delete b noreply\r\nflush_all 0 noreply\r\nget a\r\n");

        Assert.Equal("END\r\n", reply);
    }
}
