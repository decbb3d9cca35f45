using System.Text;

namespace CacheOperator.Protocol.Tests;

public class ProtocolNumbersTests
{
    [Theory]
    [InlineData("0", true, 0UL)]
    [InlineData("01", true, 1UL)]
    [InlineData("+7", true, 7UL)]
    [InlineData("-0", true, 0UL)]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("18446744073709551616", false, 0UL)]
    [InlineData("-1", false, 0UL)]
    [InlineData("", false, 0UL)]
    [InlineData("+", false, 0UL)]
    [InlineData("1x", false, 0UL)]
    [InlineData("abc", false, 0UL)]
    public void TryParseUInt64_FollowsSafeStrtoull(string token, bool ok, ulong expected)
    {
        Assert.Equal(ok, ProtocolNumbers.TryParseUInt64(Encoding.ASCII.GetBytes(token), out var value));
        if (ok)
            Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("-1", true, -1)]
    [InlineData("100", true, 100)]
    [InlineData("2147483648", true, int.MinValue)]
    [InlineData("4294967297", true, 1)]
    [InlineData("9223372036854775808", false, 0)]
    [InlineData("-9223372036854775808", true, 0)]
    [InlineData("1.5", false, 0)]
    public void TryParseInt32_TruncatesLikeC(string token, bool ok, int expected)
    {
        Assert.Equal(ok, ProtocolNumbers.TryParseInt32(Encoding.ASCII.GetBytes(token), out var value));
        if (ok)
            Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("4294967295", 4294967295U)]
    [InlineData("4294967296", 0U)]
    public void TryParseFlags_KeepsLow32Bits(string token, uint expected)
    {
        Assert.True(ProtocolNumbers.TryParseFlags(Encoding.ASCII.GetBytes(token), out var flags));
        Assert.Equal(expected, flags);
    }
}
