namespace CacheOperator.Ring.Tests;

public class NodeAddressTests
{
    [Theory]
    [InlineData("10.0.0.1:11211", "10.0.0.1", 11211)]
    [InlineData("cache-0.cache.ns.svc:1", "cache-0.cache.ns.svc", 1)]
    [InlineData("[fd00::1]:65535", "fd00::1", 65535)]
    public void TryParse_Valid_SplitsHostAndPort(string text, string host, int port)
    {
        Assert.True(NodeAddress.TryParse(text, out var address, out _));
        Assert.Equal(new NodeAddress(host, port), address);
    }

    [Theory]
    [InlineData(null, "address is empty")]
    [InlineData("", "address is empty")]
    [InlineData("host", "'host' has no port (expected host:port)")]
    [InlineData("host:", "'host:' has a bad port (expected 1..65535)")]
    [InlineData("host:0", "'host:0' has a bad port (expected 1..65535)")]
    [InlineData("host:011211", "'host:011211' has a bad port (expected 1..65535)")]
    [InlineData("host:65536", "'host:65536' has a bad port (expected 1..65535)")]
    [InlineData("host:-1", "'host:-1' has a bad port (expected 1..65535)")]
    [InlineData("host:+80", "'host:+80' has a bad port (expected 1..65535)")]
    [InlineData("host: 80", "'host: 80' has a bad port (expected 1..65535)")]
    [InlineData(":80", "':80' has an empty host")]
    [InlineData("[]:80", "'[]:80' has an empty host")]
    [InlineData("ho st:80", "'ho st:80' has an invalid character in the host")]
    [InlineData("::1:80", "'::1:80' has an IPv6 host without brackets (expected [host]:port)")]
    public void TryParse_Invalid_SaysWhy(string? text, string expected)
    {
        Assert.False(NodeAddress.TryParse(text, out _, out string error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("10.0.0.1:11211")]
    [InlineData("[fd00::1]:11211")]
    public void ToString_RoundTrips(string text)
    {
        Assert.Equal(text, NodeAddress.Parse(text).ToString());
    }
}
