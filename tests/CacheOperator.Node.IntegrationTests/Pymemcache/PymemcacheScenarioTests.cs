using CacheOperator.Node.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Pymemcache;

/// <summary>
/// A client library we did not write (pymemcache, run by the system Python) must see the same behaviour from our
/// node as from memcached: the scenario's transcripts must be equal line for line.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PymemcacheScenarioTests(ServerPairFixture servers, ITestOutputHelper output) : IClassFixture<ServerPairFixture>
{
    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Scenario_TranscriptMatchesMemcached()
    {
        ExternalTools.RequirePymemcache();
        var script = Path.Combine(AppContext.BaseDirectory, "Pymemcache", "pymemcache_scenario.py");
        Assert.True(File.Exists(script), $"The scenario script was not copied to the output: {script}");

        // Both runs sleep for the same expiry window, so they go side by side.
        var runs = await Task.WhenAll(
            RunScenarioAsync(script, servers.Reference),
            RunScenarioAsync(script, servers.Candidate));
        var (reference, candidate) = (runs[0], runs[1]);

        output.WriteLine("--- transcript against memcached ---");
        output.WriteLine(reference.Stdout);
        Assert.True(
            reference.ExitCode == 0 && reference.Stdout.EndsWith("done\n", StringComparison.Ordinal),
            $"The scenario itself failed against memcached, so the harness is broken:\n{reference}");

        var difference = TranscriptDiff.Describe(reference.Stdout, candidate.Stdout, "memcached", "cache-node");
        Assert.True(
            difference is null,
            $"pymemcache saw different behaviour from {servers.Candidate.Name}:\n{difference}\nscenario run against {servers.Candidate.Name}:\n{candidate}\n{servers.Candidate.Describe()}");
        Assert.Equal(0, candidate.ExitCode);
    }

    private static Task<ToolRun> RunScenarioAsync(string script, ICacheServer server) =>
        ToolRunner.RunAsync(
            ExternalTools.PythonPath,
            [script, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ScenarioTimeout);
}
