using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.HarnessChecks;

public sealed class TranscriptDiffTests
{
    [Fact]
    public void Describe_EqualTranscripts_ReturnsNull() =>
        Assert.Null(TranscriptDiff.Describe("a\nb\n", "a\nb\n", "left", "right"));

    [Fact]
    public void Describe_OneMissingAndOneExtraLine_ReportsOnlyThose()
    {
        var difference = TranscriptDiff.Describe("a\nb\nc\nd\n", "a\nc\nd\ne\n", "memcached", "node");

        Assert.NotNull(difference);
        Assert.StartsWith("2 line(s) differ.", difference, StringComparison.Ordinal);
        Assert.Contains("- line 2 only from memcached: b", difference, StringComparison.Ordinal);
        Assert.Contains("+ line 4 only from node: e", difference, StringComparison.Ordinal);
        Assert.DoesNotContain(": c", difference, StringComparison.Ordinal);
    }
}
