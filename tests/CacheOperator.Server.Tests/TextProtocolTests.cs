namespace CacheOperator.Server.Tests;

/// <summary>Text protocol replies, byte for byte as memcached 1.6.18 gives them (each case was checked against it).</summary>
public class TextProtocolTests
{
    [Theory]
    [InlineData("set a 0 0 1\r\nx\r\nget a\r\n", "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n")]
    [InlineData("set a 5 0 3\r\nabc\r\nget a b\r\n", "STORED\r\nVALUE a 5 3\r\nabc\r\nEND\r\n")]
    [InlineData("get nope\r\n", "END\r\n")]
    [InlineData("get\r\n", "ERROR\r\n")]
    [InlineData("GET a\r\n", "ERROR\r\n")]
    [InlineData("foo\r\n", "ERROR\r\n")]
    [InlineData("\r\n", "ERROR\r\n")]
    [InlineData("  get a\r\n", "END\r\n")]
    [InlineData("set a 0 0 1\nx\r\nget a\n", "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n")]
    [InlineData("set a 0 0 1 noreply\r\nx\r\nget a\r\n", "VALUE a 0 1\r\nx\r\nEND\r\n")]
    [InlineData("set a 0 0 1 noreply\r\nxy\r\n", "ERROR\r\n")]
    [InlineData("set a 0 0 2\r\nxyz\r\n", "CLIENT_ERROR bad data chunk\r\nERROR\r\n")]
    [InlineData("set a 0 0 -1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n")]
    [InlineData("set a 0 0 abc\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n")]
    [InlineData("set a -1 0 1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n")]
    [InlineData("set a 0 0 2147483647\r\n", "CLIENT_ERROR bad command line format\r\n")]
    [InlineData("set a 0 0\r\nx\r\n", "ERROR\r\nERROR\r\n")]
    [InlineData("set a 0 0 1 2 3\r\nx\r\n", "ERROR\r\nERROR\r\n")]
    [InlineData("set a 0 0 01\r\nx\r\nset a 0 0 +1\r\nx\r\nset a 0 0 1 \r\nx\r\n", "STORED\r\nSTORED\r\nSTORED\r\n")]
    [InlineData("set a 4294967296 0 1\r\nx\r\nget a\r\n", "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n")]
    [InlineData("add a 0 0 1\r\nx\r\nadd a 0 0 1\r\ny\r\n", "STORED\r\nNOT_STORED\r\n")]
    [InlineData("replace a 0 0 1\r\nx\r\n", "NOT_STORED\r\n")]
    [InlineData("append a 0 0 1\r\nx\r\nprepend a 0 0 1\r\nx\r\n", "NOT_STORED\r\nNOT_STORED\r\n")]
    [InlineData("set a 3 0 1\r\nb\r\nappend a 0 0 1\r\nc\r\nprepend a 0 0 1\r\na\r\nget a\r\n", "STORED\r\nSTORED\r\nSTORED\r\nVALUE a 3 3\r\nabc\r\nEND\r\n")]
    [InlineData("cas b 0 0 1 1\r\ny\r\ncas a 0 0 1\r\ny\r\n", "NOT_FOUND\r\nERROR\r\nERROR\r\n")]
    [InlineData("delete a\r\nset a 0 0 1\r\nx\r\ndelete a 0\r\n", "NOT_FOUND\r\nSTORED\r\nDELETED\r\n")]
    [InlineData("delete a 1\r\ndelete a noreply\r\ndelete a 0 noreply\r\ndelete\r\ndelete a b c\r\n",
        "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\nERROR\r\nCLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n")]
    [InlineData("incr n 1\r\nset n 0 0 2\r\n10\r\nincr n 5\r\ndecr n 100\r\nincr n abc\r\nincr n -1\r\n",
        "NOT_FOUND\r\nSTORED\r\n15\r\n0\r\nCLIENT_ERROR invalid numeric delta argument\r\nCLIENT_ERROR invalid numeric delta argument\r\n")]
    [InlineData("set s 0 0 1\r\nx\r\nincr s 1\r\n", "STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n")]
    [InlineData("set n 0 0 3\r\n100\r\ndecr n 1\r\nget n\r\n", "STORED\r\n99\r\nVALUE n 0 3\r\n99 \r\nEND\r\n")]
    [InlineData("set m 0 0 20\r\n18446744073709551615\r\nincr m 2\r\n", "STORED\r\n1\r\n")]
    [InlineData("incr a 18446744073709551616\r\nincr\r\nincr a\r\n", "CLIENT_ERROR invalid numeric delta argument\r\nERROR\r\nERROR\r\n")]
    [InlineData("set i 0 0 1\r\n5\r\nincr i 3 noreply\r\nget i\r\nincr i 1 2\r\n", "STORED\r\nVALUE i 0 1\r\n8\r\nEND\r\n9\r\n")]
    [InlineData("touch a 10\r\nset a 0 0 1\r\nx\r\ntouch a 10\r\ntouch a\r\ntouch a abc\r\n",
        "NOT_FOUND\r\nSTORED\r\nTOUCHED\r\nERROR\r\nCLIENT_ERROR invalid exptime argument\r\n")]
    [InlineData("gat 100 a\r\nset a 0 0 1\r\nx\r\ngat 100 a\r\ngat a\r\ngat abc a\r\ngat 10\r\ngats\r\n",
        "END\r\nSTORED\r\nVALUE a 0 1\r\nx\r\nEND\r\nCLIENT_ERROR invalid exptime argument\r\nCLIENT_ERROR invalid exptime argument\r\nEND\r\nERROR\r\n")]
    [InlineData("flush_all\r\nflush_all noreply\r\nflush_all abc\r\nflush_all 0 noreply\r\n", "OK\r\nCLIENT_ERROR invalid exptime argument\r\n")]
    [InlineData("set a 0 0 1\r\nx\r\nflush_all\r\nget a\r\n", "STORED\r\nOK\r\nEND\r\n")]
    [InlineData("version\r\n", "VERSION 1.6.18\r\n")]
    [InlineData("verbosity 1\r\nverbosity\r\nverbosity 1 noreply\r\nverbosity abc\r\nverbosity 1 2 3\r\n",
        "OK\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n")]
    [InlineData("stats nonsense\r\nstats reset\r\nstats detail\r\n", "ERROR\r\nRESET\r\nCLIENT_ERROR usage: stats detail on|off|dump\r\n")]
    [InlineData("stats detail on\r\nstats detail dump\r\nstats detail off\r\n", "OK\r\nEND\r\nOK\r\n")]
    [InlineData("shutdown\r\nmisbehave\r\n", "ERROR: shutdown not enabled\r\nERROR\r\n")]
    [InlineData("set a\u0001b 0 0 1\r\nx\r\nget a\u0001b\r\n", "STORED\r\nVALUE a\u0001b 0 1\r\nx\r\nEND\r\n")]
    public async Task Request_AnswersAsMemcached(string request, string expected)
    {
        await using var session = new SessionHarness();

        Assert.Equal(expected, await session.RoundTripAsync(request));
    }

    [Fact]
    public async Task Gets_ThenCas_StoresOnlyWithCurrentCas()
    {
        await using var session = new SessionHarness();
        var reply = await session.RoundTripAsync("set a 0 0 1\r\nx\r\ngets a\r\n");
        var cas = reply.Split("\r\n")[1].Split(' ')[4];

        Assert.Equal("EXISTS\r\n", await session.RoundTripAsync($"cas a 0 0 1 {ulong.Parse(cas, System.Globalization.CultureInfo.InvariantCulture) + 1}\r\ny\r\n"));
        Assert.Equal("STORED\r\n", await session.RoundTripAsync($"cas a 0 0 1 {cas}\r\ny\r\n"));
        Assert.Equal("VALUE a 0 1\r\ny\r\nEND\r\n", await session.RoundTripAsync("get a\r\n"));
    }

    [Fact]
    public async Task Get_KeyOver250Bytes_AnswersOnlyTheError()
    {
        await using var session = new SessionHarness();
        var longKey = new string('k', 251);

        Assert.Equal("STORED\r\nCLIENT_ERROR bad command line format\r\n",
            await session.RoundTripAsync($"set a 0 0 1\r\nx\r\nget a {longKey} b\r\n"));
        Assert.Equal("CLIENT_ERROR bad command line format\r\nERROR\r\n",
            await session.RoundTripAsync($"set {longKey} 0 0 1\r\nx\r\n"));
    }

    [Fact]
    public async Task Get_ManyKeysBeyondTokenLimit_AnswersEveryKey()
    {
        await using var session = new SessionHarness();
        var keys = Enumerable.Range(0, 40).Select(i => $"k{i}").ToArray();
        await session.RoundTripAsync(string.Concat(keys.Select(k => $"set {k} 0 0 1\r\nv\r\n")));

        var reply = await session.RoundTripAsync("get " + string.Join(' ', keys) + "\r\n");

        Assert.Equal(string.Concat(keys.Select(k => $"VALUE {k} 0 1\r\nv\r\n")) + "END\r\n", reply);
    }

    [Fact]
    public async Task Quit_ClosesAfterEarlierReplies()
    {
        await using var session = new SessionHarness();

        await session.SendAsync("version\r\nquit\r\nversion\r\n");

        Assert.Equal("VERSION 1.6.18\r\n", await session.ReadToEndAsync());
    }
}
