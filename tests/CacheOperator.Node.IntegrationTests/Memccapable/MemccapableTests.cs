using System.Globalization;
using CacheOperator.Node.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Memccapable;

/// <summary>
/// libmemcached's conformance checker, ascii protocol only (-a): every test it passes against memcached must pass
/// against our node. The binary protocol is out of scope for the node.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MemccapableTests(ServerPairFixture servers, ITestOutputHelper output) : IClassFixture<ServerPairFixture>
{
    /// <summary>Per-operation I/O timeout handed to memccapable (-t), so a silent server fails a test instead of hanging.</summary>
    private const string IoTimeoutSeconds = "5";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task AsciiConformance_EveryTestPassingOnMemcachedPassesOnNode()
    {
        ExternalTools.RequireMemccapable();

        var referenceRun = await RunAsync(servers.Reference);
        var reference = MemccapableReport.Parse(referenceRun.Stdout);
        output.WriteLine("--- memccapable -a against memcached ---");
        output.WriteLine(reference.ToString());
        output.WriteLine($"ran: {reference.Outcomes.Count}, passed: {reference.Named("pass").Count()}, skipped: {string.Join(", ", reference.Named("skip"))}");
        Assert.True(
            reference.Named("pass").Any() && !referenceRun.TimedOut,
            $"memccapable found nothing passing on memcached itself, so the harness is broken:\n{referenceRun}");

        var candidateRun = await RunAsync(servers.Candidate);
        var candidate = MemccapableReport.Parse(candidateRun.Stdout);
        output.WriteLine($"--- memccapable -a against {servers.Candidate.Name} ---");
        output.WriteLine(candidate.ToString());

        var regressions = reference.Named("pass")
            .Where(test => candidate.OutcomeOf(test) != "pass")
            .Select(test => $"{test}: {candidate.OutcomeOf(test)}")
            .ToList();
        Assert.True(
            regressions.Count == 0,
            $"{regressions.Count} memccapable test(s) pass on memcached but not on {servers.Candidate.Name}:\n" +
            $"{string.Join("\n", regressions)}\n\nmemccapable output:\n{candidateRun}\n\n{servers.Candidate.Describe()}");
        Assert.False(servers.Candidate.HasExited, $"{servers.Candidate.Name} exited during memccapable.\n{servers.Candidate.Describe()}");
    }

    private static Task<ToolRun> RunAsync(ICacheServer server) =>
        ToolRunner.RunAsync(
            ExternalTools.MemccapablePath,
            ["-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-a", "-t", IoTimeoutSeconds],
            RunTimeout,
            mergeStderr: true);
}
