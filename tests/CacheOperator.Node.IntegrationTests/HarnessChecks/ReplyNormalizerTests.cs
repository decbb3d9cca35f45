using System.Text;
using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.HarnessChecks;

/// <summary>The normaliser may only touch the tokens it documents; everything else must survive byte for byte.</summary>
public sealed class ReplyNormalizerTests
{
    [Theory]
    [InlineData("VALUE k 0 1 77\r\nx\r\nEND\r\n", "VALUE k 0 1 #1\r\nx\r\nEND\r\n")]
    [InlineData("VALUE a 0 1 9\r\n1\r\nVALUE b 0 1 5\r\n2\r\nVALUE c 0 1 9\r\n3\r\nEND\r\n", "VALUE a 0 1 #1\r\n1\r\nVALUE b 0 1 #2\r\n2\r\nVALUE c 0 1 #1\r\n3\r\nEND\r\n")]
    [InlineData("HD c12 t-1\r\nVA 2 c13 f0\r\nhi\r\nEN\r\n", "HD c#1 t-1\r\nVA 2 c#2 f0\r\nhi\r\nEN\r\n")]
    [InlineData("STAT pid 42\r\nSTAT version 1.6.18\r\nEND\r\n", "STAT pid *\r\nSTAT version *\r\nEND\r\n")]
    [InlineData("VERSION 1.6.18\r\n", "VERSION *\r\n")]
    [InlineData("ME k exp=-1 la=3 cas=8 fetch=no cls=1 size=63\r\n", "ME k exp=-1 la=* cas=#1 fetch=no cls=* size=*\r\n")]
    [InlineData("HD kc12 Oc5\r\n", "HD kc12 Oc5\r\n")]
    [InlineData("CLIENT_ERROR bad data chunk\r\nERROR\r\n", "CLIENT_ERROR bad data chunk\r\nERROR\r\n")]
    [InlineData("STORED\r\nVALUE k 0 5", "STORED\r\nVALUE k 0 5")]
    public void Normalize_RewritesOnlyDocumentedTokens(string reply, string expected) =>
        Assert.Equal(expected, ReplyNormalizer.Normalize(Encoding.Latin1.GetBytes(reply)));

    [Fact]
    public void Normalize_CopiesDataBlocksVerbatimEvenWhenTheyLookLikeReplies()
    {
        const string value = "STAT x 1\r\nVALUE q 0 1 99\r\nc5";
        var reply = $"VALUE k 0 {value.Length} 3\r\n{value}\r\nVA {value.Length} c4\r\n{value}\r\nEND\r\n";

        var normalized = ReplyNormalizer.Normalize(Encoding.Latin1.GetBytes(reply));

        Assert.Equal($"VALUE k 0 {value.Length} #1\r\n{value}\r\nVA {value.Length} c#2\r\n{value}\r\nEND\r\n", normalized);
    }

    [Theory]
    [InlineData("VALUE k 0 1 77\r\nx\r\nEND\r\nHD c91\r\n", "91")]
    [InlineData("VALUE k 0 1 77\r\nx\r\nEND\r\n", "77")]
    [InlineData("STORED\r\nEND\r\n", null)]
    public void LastCas_FindsTheServersOwnValue(string reply, string? expected) =>
        Assert.Equal(expected, ReplyNormalizer.LastCas(Encoding.Latin1.GetBytes(reply)));
}
