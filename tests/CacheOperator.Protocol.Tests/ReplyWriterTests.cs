using System.Buffers;
using System.Text;

namespace CacheOperator.Protocol.Tests;

public class ReplyWriterTests
{
    [Theory]
    [InlineData("foo", 0U, "bar", false, 0UL, "VALUE foo 0 3\r\nbar\r\n")]
    [InlineData("k", 4294967295U, "", true, 18446744073709551615UL, "VALUE k 4294967295 0 18446744073709551615\r\n\r\n")]
    public void WriteValue_WritesMemcachedValueBlock(string key, uint flags, string value, bool cas, ulong casValue, string expected)
    {
        var output = new ArrayBufferWriter<byte>();

        ReplyWriter.WriteValue(output, Encoding.ASCII.GetBytes(key), flags, Encoding.ASCII.GetBytes(value), cas, casValue);

        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteValue_LargerThanOneBuffer_WritesHeaderAndDataSeparately()
    {
        var output = new ArrayBufferWriter<byte>(16);
        var value = new byte[100_000];
        value.AsSpan().Fill((byte)'x');

        ReplyWriter.WriteValue(output, "big"u8, 1, value, false, 0);

        var text = Encoding.ASCII.GetString(output.WrittenSpan);
        Assert.StartsWith("VALUE big 1 100000\r\nxxx", text, StringComparison.Ordinal);
        Assert.EndsWith("x\r\n", text, StringComparison.Ordinal);
        Assert.Equal(20 + 100_000 + 2, output.WrittenCount);
    }

    [Fact]
    public void WriteMetaReply_FlagsAndNumbers()
    {
        var output = new ArrayBufferWriter<byte>();

        ReplyWriter.WriteMetaValueHeader(output, 3);
        ReplyWriter.WriteFlag(output, (byte)'c', 2UL);
        ReplyWriter.WriteFlag(output, (byte)'t', -1L);
        ReplyWriter.WriteFlag(output, (byte)'k', "foo"u8);
        ReplyWriter.WriteFlag(output, (byte)'W', default(ReadOnlySpan<byte>));
        ReplyWriter.Write(output, Replies.CrLf);
        ReplyWriter.WriteNumberLine(output, 15);

        Assert.Equal("VA 3 c2 t-1 kfoo W\r\n15\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }
}
