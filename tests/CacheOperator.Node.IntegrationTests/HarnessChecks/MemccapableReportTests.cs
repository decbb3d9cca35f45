using CacheOperator.Node.IntegrationTests.Memccapable;

namespace CacheOperator.Node.IntegrationTests.HarnessChecks;

/// <summary>memccapable's output interleaves stdout and stderr; the parser must still pair each test with its verdict.</summary>
public sealed class MemccapableReportTests
{
    [Fact]
    public void Parse_PairsNamesWithVerdictsAcrossInterleavedDiagnostics()
    {
        const string output =
            "ascii version                           [pass]\n" +
            "ascii cas noreply                       [ERROR\n]\n[FAIL]\n" +
            "ascii incr                              Errno: 110 Connection timed out\n[FAIL]\n" +
            "ascii stat                              [skip]\n" +
            "ascii prepend noreply                   ";

        var report = MemccapableReport.Parse(output);

        Assert.Equal(
            [
                new("ascii version", "pass"),
                new("ascii cas noreply", "fail"),
                new("ascii incr", "fail"),
                new("ascii stat", "skip"),
                new KeyValuePair<string, string>("ascii prepend noreply", "none"),
            ],
            report.Outcomes);
        Assert.Equal("not run", report.OutcomeOf("ascii gets"));
    }
}
