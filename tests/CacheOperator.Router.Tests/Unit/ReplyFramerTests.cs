using System.Buffers;
using System.Text;
using CacheOperator.Router.Backends;

namespace CacheOperator.Router.Tests.Unit;

/// <summary>Splitting a backend's byte stream into replies by the kind of the oldest request.</summary>
public sealed class ReplyFramerTests
{
    [Theory]
    [InlineData("Line", "STORED\r\nEND\r\n", 8)]
    [InlineData("Line", "SERVER_ERROR out of memory storing object\r\n", 43)]
    [InlineData("Retrieval", "END\r\n", 5)]
    [InlineData("Retrieval", "VALUE a 0 3\r\nEND\r\nEND\r\nnext", 23)]
    [InlineData("Retrieval", "VALUE a 0 1 99\r\nx\r\nVALUE b 5 2\r\nyy\r\nEND\r\n", 41)]
    [InlineData("Retrieval", "CLIENT_ERROR bad command line format\r\n", 38)]
    [InlineData("Meta", "HD\r\nHD\r\n", 4)]
    [InlineData("Meta", "VA 4 t-1 kab\r\nEN\r\n\r\nMN\r\n", 20)]
    [InlineData("Meta", "EN\r\n", 4)]
    [InlineData("UntilNoop", "MN\r\n", 4)]
    [InlineData("UntilNoop", "VA 2\r\nMN\r\nMN\r\n", 14)]
    [InlineData("UntilNoop", "HD\r\nVALUE k 0 2\r\nMN\r\nEND\r\nMN\r\nx", 30)]
    public void TryFrame_WholeReply_EndsWhereTheReplyEnds(string kindName, string stream, int expected)
    {
        var kind = Enum.Parse<ReplyKind>(kindName);
        var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(stream));
        Assert.Equal(FrameResult.Complete, ReplyFramer.TryFrame(bytes, kind, out var length));
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData("Line", "STORED\r")]
    [InlineData("Retrieval", "VALUE a 0 3\r\nab")]
    [InlineData("Retrieval", "VALUE a 0 3\r\nabc\r\n")]
    [InlineData("Meta", "VA 3\r\nabc\r")]
    [InlineData("UntilNoop", "HD\r\n")]
    public void TryFrame_PartialReply_IsIncomplete(string kindName, string stream)
    {
        var kind = Enum.Parse<ReplyKind>(kindName);
        var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(stream));
        Assert.Equal(FrameResult.Incomplete, ReplyFramer.TryFrame(bytes, kind, out _));
    }

    [Fact]
    public void TryFrame_ValueWithoutSize_IsInvalid()
    {
        var bytes = new ReadOnlySequence<byte>("VALUE a 0\r\n"u8.ToArray());
        Assert.Equal(FrameResult.Invalid, ReplyFramer.TryFrame(bytes, ReplyKind.Retrieval, out _));
    }
}
