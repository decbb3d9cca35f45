using System.Text;

namespace CacheOperator.Protocol.Tests;

public class MetaFlagsTests
{
    [Theory]
    [InlineData("mg foo v c t", MetaFlagError.None)]
    [InlineData("mg foo", MetaFlagError.None)]
    [InlineData("mg foo z", MetaFlagError.Invalid)]
    [InlineData("mg foo 1", MetaFlagError.Invalid)]
    [InlineData("mg foo v v", MetaFlagError.Duplicate)]
    [InlineData("mg foo Oa Ob", MetaFlagError.Duplicate)]
    public void TryParse_ValidatesLettersAndDuplicates(string text, MetaFlagError expected)
    {
        var line = RequestLine.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(expected, MetaFlags.TryParse(line, 2, "bcfhklOqstuvENRT"u8, out _));
    }

    [Fact]
    public void Token_ReturnsTextAfterLetter()
    {
        var line = RequestLine.Parse("mg foo T30 v Oabc"u8);

        Assert.Equal(MetaFlagError.None, MetaFlags.TryParse(line, 2, "bcfhklOqstuvENRT"u8, out var flags));

        Assert.True(flags.Has((byte)'v'));
        Assert.False(flags.Has((byte)'c'));
        Assert.Equal("30", Encoding.ASCII.GetString(flags.Token((byte)'T')));
        Assert.Equal("abc", Encoding.ASCII.GetString(flags.Token((byte)'O')));
        Assert.True(flags.Token((byte)'v').IsEmpty);
    }
}
