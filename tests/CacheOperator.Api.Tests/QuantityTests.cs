namespace CacheOperator.Api.Tests;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("64Mi", 67108864)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1.5Gi", 1610612736)]
    [InlineData("1G", 1000000000)]
    [InlineData("512", 512)]
    [InlineData("1Ki", 1024)]
    [InlineData("2k", 2000)]
    [InlineData("1e3", 1000)]
    [InlineData("1E", 1000000000000000000)]
    public void ParseBytes_ReadsKubernetesQuantities(string text, long bytes)
    {
        Assert.Equal(bytes, Quantity.ParseBytes(text));
    }

    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("-1", -1)]
    [InlineData("+2.5", 2.5)]
    [InlineData("1.5e-3", 0.0015)]
    public void TryParse_ReadsFractionsAndSigns(string text, double expected)
    {
        Assert.True(Quantity.TryParse(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("1 Gi")]
    [InlineData("1gi")]
    [InlineData("Mi")]
    [InlineData("1e99")]
    public void TryParse_RefusesWhatIsNoQuantity(string text)
    {
        Assert.False(Quantity.TryParse(text, out _));
    }

    [Fact]
    public void ParseBytes_RefusesNegativeSizes()
    {
        Assert.Throws<FormatException>(() => Quantity.ParseBytes("-1Mi"));
    }
}
