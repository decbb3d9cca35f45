using CacheOperator.Reconciler.Resources;

namespace CacheOperator.Reconciler.Tests;

public class MemoryQuantityTests
{
    [Theory]
    [InlineData("64Mi", 64L * 1024 * 1024)]
    [InlineData("1Gi", 1024L * 1024 * 1024)]
    [InlineData("1.5Gi", 1536L * 1024 * 1024)]
    [InlineData("1000", 1000L)]
    [InlineData("1k", 1000L)]
    [InlineData("1M", 1_000_000L)]
    [InlineData("1e3", 1000L)]
    [InlineData("0.5", 1L)]
    [InlineData("256Gi", 256L * 1024 * 1024 * 1024)]
    public void ParseBytes_ReadsKubernetesQuantities(string text, long bytes) =>
        Assert.Equal(bytes, MemoryQuantity.ParseBytes(text));

    [Theory]
    [InlineData("")]
    [InlineData("Mi")]
    [InlineData("12 Mi")]
    [InlineData("1Xi")]
    [InlineData("-1Mi")]
    [InlineData("1e99")]
    public void ParseBytes_RejectsWhatIsNotAMemoryQuantity(string text) =>
        Assert.Throws<FormatException>(() => MemoryQuantity.ParseBytes(text));

    [Theory]
    [InlineData(1024L * 1024 * 1024, "1Gi")]
    [InlineData(1344L * 1024 * 1024, "1344Mi")]
    [InlineData(1536L * 1024, "1536Ki")]
    [InlineData(1000L, "1000")]
    [InlineData(0L, "0")]
    public void FormatBytes_UsesTheLargestExactBinarySuffix(long bytes, string text) =>
        Assert.Equal(text, MemoryQuantity.FormatBytes(bytes));

    [Theory]
    [InlineData("100m", "0.1", true)]
    [InlineData("1024Mi", "1Gi", true)]
    [InlineData("1", "1000m", true)]
    [InlineData("100m", "200m", false)]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    public void AreEquivalent_ComparesAmountsNotSpelling(string a, string b, bool equivalent) =>
        Assert.Equal(equivalent, MemoryQuantity.AreEquivalent(a, b));
}
