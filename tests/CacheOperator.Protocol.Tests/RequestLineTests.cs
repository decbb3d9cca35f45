using System.Text;

namespace CacheOperator.Protocol.Tests;

public class RequestLineTests
{
    [Theory]
    [InlineData("get a", CommandType.Get)]
    [InlineData("gets a", CommandType.Gets)]
    [InlineData("gat 1 a", CommandType.Gat)]
    [InlineData("gats 1 a", CommandType.Gats)]
    [InlineData("set a 0 0 1", CommandType.Set)]
    [InlineData("add a 0 0 1", CommandType.Add)]
    [InlineData("replace a 0 0 1", CommandType.Replace)]
    [InlineData("append a 0 0 1", CommandType.Append)]
    [InlineData("prepend a 0 0 1", CommandType.Prepend)]
    [InlineData("cas a 0 0 1 1", CommandType.Cas)]
    [InlineData("delete a", CommandType.Delete)]
    [InlineData("incr a 1", CommandType.Incr)]
    [InlineData("decr a 1", CommandType.Decr)]
    [InlineData("touch a 1", CommandType.Touch)]
    [InlineData("flush_all", CommandType.FlushAll)]
    [InlineData("version", CommandType.Version)]
    [InlineData("verbosity 1", CommandType.Verbosity)]
    [InlineData("stats", CommandType.Stats)]
    [InlineData("quit", CommandType.Quit)]
    [InlineData("mg a v", CommandType.MetaGet)]
    [InlineData("ms a 1", CommandType.MetaSet)]
    [InlineData("md a", CommandType.MetaDelete)]
    [InlineData("ma a", CommandType.MetaArithmetic)]
    [InlineData("mn", CommandType.MetaNoop)]
    [InlineData("me a", CommandType.MetaDebug)]
    [InlineData("shutdown", CommandType.Shutdown)]
    [InlineData("  get a", CommandType.Get)]
    [InlineData("GET a", CommandType.Unknown)]
    [InlineData("getx a", CommandType.Unknown)]
    [InlineData("mz a", CommandType.Unknown)]
    [InlineData("", CommandType.Unknown)]
    [InlineData("   ", CommandType.Unknown)]
    public void Parse_FirstToken_IdentifiesCommand(string text, CommandType expected)
    {
        var line = RequestLine.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(expected, line.Command);
    }

    [Theory]
    [InlineData("set a 0 0 1", new[] { "set", "a", "0", "0", "1" })]
    [InlineData("  set   a  0 ", new[] { "set", "a", "0" })]
    [InlineData("x", new[] { "x" })]
    [InlineData("", new string[0])]
    public void Parse_SplitsOnRunsOfSpaces(string text, string[] expected)
    {
        var line = RequestLine.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(expected.Length, line.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], Encoding.ASCII.GetString(line[i]));
        Assert.Equal(expected.Length + 1, line.MemcachedTokenCount);
    }

    [Fact]
    public void Parse_MoreThanMaxTokens_LeavesRestUnsplitAndKeysFromSeesAll()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"k{i}").ToArray();
        var line = RequestLine.Parse(Encoding.ASCII.GetBytes("get " + string.Join("  ", keys)));

        Assert.True(line.HasMore);
        Assert.Equal(RequestLine.MaxTokens, line.MemcachedTokenCount);
        var seen = new List<string>();
        foreach (var key in line.KeysFrom(1))
            seen.Add(Encoding.ASCII.GetString(key));
        Assert.Equal(keys, seen);
    }

    [Theory]
    [InlineData("set a 0 0 1 noreply", true)]
    [InlineData("set a 0 0 1", false)]
    [InlineData("noreply", false)]
    [InlineData("delete a noreplyx", false)]
    public void IsNoReply_LooksAtLastToken(string text, bool expected)
    {
        Assert.Equal(expected, RequestLine.Parse(Encoding.ASCII.GetBytes(text)).IsNoReply);
    }
}
