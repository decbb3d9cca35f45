namespace CacheOperator.Server.Tests;

/// <summary>Meta protocol replies as memcached 1.6.18 gives them (CAS values aside, which each server numbers its own way).</summary>
public class MetaProtocolTests
{
    [Theory]
    [InlineData("mg foo v\r\n", "EN\r\n")]
    [InlineData("mg miss v O123 k\r\nmg miss k c\r\nmg miss\r\nmg miss q v\r\n", "EN O123 kmiss\r\nEN kmiss\r\nEN\r\n")]
    [InlineData("set hit 5 0 3\r\nabc\r\nmg hit\r\nmg hit k O99 v f\r\nmg hit q k\r\nmg hit s v q\r\n",
        "STORED\r\nHD\r\nVA 3 khit O99 f5\r\nabc\r\nHD khit\r\nVA 3 s3\r\nabc\r\n")]
    [InlineData("mg\r\n", "ERROR\r\n")]
    [InlineData("mg foo z\r\nmg foo v v\r\nmg foo Oa Ob\r\nmg foo Tabc v\r\nmg foo N\r\n",
        "CLIENT_ERROR invalid flag\r\nCLIENT_ERROR duplicate flag\r\nCLIENT_ERROR duplicate flag\r\nCLIENT_ERROR bad token in command line format\r\nCLIENT_ERROR bad token in command line format\r\n")]
    [InlineData("mg foo v Oxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", "CLIENT_ERROR opaque token too long\r\n")]
    [InlineData("ms foo\r\n", "CLIENT_ERROR bad command line format\r\n")]
    [InlineData("ms foo 3 T60 F5\r\nbar\r\nmg foo v t f s k\r\n", "HD\r\nVA 3 t60 f5 s3 kfoo\r\nbar\r\n")]
    [InlineData("ms m 3\r\nabc\r\nms m 3 q\r\nxyz\r\nmg m v\r\nms m 3 MA\r\ndef\r\nmg m v\r\n",
        "HD\r\nVA 3\r\nxyz\r\nHD\r\nVA 6\r\nxyzdef\r\n")]
    [InlineData("ms r 3 MR\r\nabc\r\nms r 3 ME\r\nabc\r\nms r 3 ME\r\nabc\r\nms r 3 MX\r\nabc\r\n",
        "NS\r\nHD\r\nNS\r\nCLIENT_ERROR invalid mode for ms M token\r\n")]
    [InlineData("ms m 2\r\nabc\r\nms m abc\r\nab\r\nms m 2 C1\r\nab\r\nms m 2 q C1\r\nab\r\n",
        "CLIENT_ERROR bad data chunk\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\nNF\r\nNF\r\n")]
    [InlineData("ms ms3 3 k b\r\nabc\r\nms bXMz 3 b k\r\nabc\r\nmg bXMz b k v\r\nmg ms3 v\r\nmg !!! b v\r\n",
        "CLIENT_ERROR error decoding key\r\nHD kbXMz b\r\nVA 3 kbXMz b\r\nabc\r\nVA 3\r\nabc\r\nCLIENT_ERROR error decoding key\r\n")]
    [InlineData("md nope\r\nmd nope q\r\nms d 1\r\nx\r\nmd d q\r\nmd d k O5\r\nmd nope k O5\r\n",
        "NF\r\nNF\r\nHD\r\nNF kd O5\r\nNF knope O5\r\n")]
    [InlineData("ma cnt\r\nma cnt N0 J10 v\r\nma cnt v D5\r\nma cnt MD D100 v\r\n", "NF\r\nVA 2\r\n10\r\nVA 2\r\n15\r\nVA 1\r\n0\r\n")]
    [InlineData("ma c2 N0 J5 v q\r\nma c2 v t k O7\r\nma c2 MI D3 v\r\nma c2 M- D3 v\r\nma c2 MX\r\nma c2 Dx\r\n",
        "VA 1\r\n5\r\nVA 1 t-1 kc2 O7\r\n6\r\nVA 1\r\n9\r\nVA 1\r\n6\r\nCLIENT_ERROR invalid mode for ma M token\r\nCLIENT_ERROR invalid or duplicate flag\r\n")]
    [InlineData("ms s 1\r\nx\r\nma s\r\n", "HD\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n")]
    [InlineData("set h 0 0 3\r\nabc\r\nme h\r\nme nope\r\nme\r\n",
        "STORED\r\nME h exp=-1 la=0 cas=1 fetch=no cls=1 size=63\r\nEN\r\nCLIENT_ERROR bad command line format\r\n")]
    [InlineData("ms lk 1 t f s h l k\r\n2\r\nmd lk t f s k\r\n", "HD klk\r\nHD klk\r\n")]
    [InlineData("set lk 5 0 1\r\n1\r\nma lk f s h l t\r\nmg lk D1 J1 M1 P1 L1 I1 F1 v\r\n", "STORED\r\nHD t-1\r\nVA 1\r\n2\r\n")]
    [InlineData("md x Tabc\r\nma x Nabc\r\nmg x Fabc\r\nmg x Mabc\r\nmg x Dabc v\r\nms x 1 Ms\r\na\r\nms x 1 MSS\r\na\r\n",
        "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR bad command line format\r\n"
        + "CLIENT_ERROR incorrect length for M token\r\nCLIENT_ERROR invalid numeric delta value\r\n"
        + "CLIENT_ERROR invalid mode for ms M token\r\nCLIENT_ERROR incorrect length for M token\r\n")]
    [InlineData("ma n1 N0 J5 q\r\nma n1 q\r\nma n1 q v\r\n", "HD\r\n")]
    [InlineData("ms " + "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" + " 1\r\na\r\n",
        "CLIENT_ERROR bad command line format\r\nERROR\r\n")]
    public async Task Request_AnswersAsMemcached(string request, string expected)
    {
        await using var session = new SessionHarness();

        Assert.Equal(expected, await session.RoundTripAsync(request));
    }

    [Fact]
    public async Task MetaGet_Vivify_FirstClientWinsThenOthersSeeWonToken()
    {
        await using var session = new SessionHarness();

        Assert.Equal("VA 0 t30 W\r\n\r\n", await session.RoundTripAsync("mg foo N30 v t\r\n"));
        Assert.Equal("VA 0 t30 Z\r\n\r\n", await session.RoundTripAsync("mg foo N30 v t\r\n"));
    }

    [Fact]
    public async Task MetaDelete_Invalidate_MarksStaleAndHandsOutOneWin()
    {
        await using var session = new SessionHarness();
        await session.RoundTripAsync("ms foo 3 T60\r\nbar\r\n");

        Assert.Equal("HD\r\n", await session.RoundTripAsync("md foo I T30\r\n"));
        Assert.Equal("VA 3 t30 X W\r\nbar\r\n", await session.RoundTripAsync("mg foo v t\r\n"));
        Assert.Equal("VA 3 t30 Z X\r\nbar\r\n", await session.RoundTripAsync("mg foo v t\r\n"));
    }

    [Fact]
    public async Task MetaGet_HitAndLastAccess_DescribeThePreviousAccess()
    {
        await using var session = new SessionHarness();
        await session.RoundTripAsync("ms foo 3\r\nbar\r\n");

        Assert.Equal("VA 3 h0 t-1\r\nbar\r\n", await session.RoundTripAsync("mg foo h t v\r\n"));
        Assert.Equal("VA 3 h1 l0 t-1\r\nbar\r\n", await session.RoundTripAsync("mg foo h l t v\r\n"));
    }

    [Fact]
    public async Task MetaSet_ReturnsCasThatMetaGetSees()
    {
        await using var session = new SessionHarness();

        var set = await session.RoundTripAsync("ms foo 3 c\r\nbar\r\n");
        var cas = set.TrimEnd()[4..];

        Assert.Equal($"VA 3 c{cas}\r\nbar\r\n", await session.RoundTripAsync("mg foo v c\r\n"));
        Assert.Equal("EX\r\n", await session.RoundTripAsync($"md foo C{cas}1\r\n"));
        Assert.Equal("HD\r\n", await session.RoundTripAsync($"md foo C{cas}\r\n"));
    }
}
