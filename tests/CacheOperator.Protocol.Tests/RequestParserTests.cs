using System.Buffers;
using System.Text;

namespace CacheOperator.Protocol.Tests;

public class RequestParserTests
{
    [Theory]
    [InlineData("get foo\r\n", "get foo")]
    [InlineData("get foo\n", "get foo")]
    [InlineData("\r\n", "")]
    [InlineData("set a 0 0 1\r\nx\r\n", "set a 0 0 1")]
    [InlineData("a\rb\r\n", "a\rb")]
    public void TryReadLine_CompleteLine_ReturnsLineWithoutTerminator(string input, string expected)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));

        var status = RequestParser.TryReadLine(buffer, new byte[64], out var line, out var next);

        Assert.Equal(LineStatus.Complete, status);
        Assert.Equal(expected, Encoding.ASCII.GetString(line));
        Assert.Equal(input.IndexOf('\n', StringComparison.Ordinal) + 1, buffer.Slice(buffer.Start, next).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("get foo")]
    [InlineData("get foo\r")]
    public void TryReadLine_NoNewline_IsIncomplete(string input)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));

        Assert.Equal(LineStatus.Incomplete, RequestParser.TryReadLine(buffer, new byte[64], out _, out _));
    }

    [Fact]
    public void TryReadLine_NoNewlineBeyondLimit_IsTooLong()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[65]);

        Assert.Equal(LineStatus.TooLong, RequestParser.TryReadLine(buffer, new byte[64], out _, out _));
    }

    [Fact]
    public void TryReadLine_LineSplitAtEveryPosition_FindsSameLine()
    {
        var bytes = "gets alpha beta\r\nrest"u8.ToArray();
        for (var split = 1; split < bytes.Length; split++)
        {
            var buffer = TestSegments.Split(bytes, split);

            var status = RequestParser.TryReadLine(buffer, new byte[64], out var line, out var next);

            Assert.Equal(LineStatus.Complete, status);
            Assert.Equal("gets alpha beta", Encoding.ASCII.GetString(line));
            Assert.Equal("rest", Encoding.ASCII.GetString(buffer.Slice(next).ToArray()));
        }
    }

    [Fact]
    public void TryReadLine_SplitLineLongerThanScratch_IsTooLong()
    {
        var buffer = TestSegments.Split(Encoding.ASCII.GetBytes(new string('k', 100) + "\r\n"), 50);

        Assert.Equal(LineStatus.TooLong, RequestParser.TryReadLine(buffer, new byte[64], out _, out _));
    }
}
