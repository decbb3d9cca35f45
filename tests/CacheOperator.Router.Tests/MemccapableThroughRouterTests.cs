using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>
/// libmemcached's <c>memccapable -a</c> through the router executable in front of one of our nodes and one Debian
/// memcached. Every ASCII test must pass: none is excepted. The ones that touch server-wide state were checked
/// one by one and a router can pass each of them:
/// <list type="bullet">
/// <item><c>ascii flush</c> / <c>flush noreply</c>: flush_all is fanned out to every backend, so the later get
/// misses whichever backend owns the key; with noreply the router must still keep the next reply in order.</item>
/// <item><c>ascii verbosity</c>: it checks reply shapes only (<c>verbosity</c> with no level is an error, a level
/// is OK); a router answers these without touching the backends.</item>
/// <item><c>ascii stat</c>: it checks that <c>stats noreply</c> is an error and that <c>stats</c> is a STAT list
/// ending in END; a router's own STAT list satisfies it.</item>
/// <item><c>ascii version</c>: one VERSION line, which the router answers itself.</item>
/// </list>
/// The same run against memcached directly is the control: it shows the tool and its expectations, not the machine,
/// decide the outcome.
/// </summary>
public sealed class MemccapableThroughRouterTests(RouterOverTwoBackends cluster) : IClassFixture<RouterOverTwoBackends>
{
    public static TheoryData<string> AsciiTests => new(Memccapable.AsciiTests);

    [Fact]
    public async Task Memccapable_AgainstMemcachedDirectly_PassesEveryAsciiTest()
    {
        using var memcached = BackendProcess.Memcached();

        var run = await Memccapable.RunAsync(memcached.Port);

        Assert.Equal(Memccapable.AsciiTests.Order(StringComparer.Ordinal), run.Outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.True(run.ExitCode == 0 && !run.Failed.Any(), run.Describe());
    }

    [Theory]
    [MemberData(nameof(AsciiTests))]
    public async Task Memccapable_ThroughRouter_PassesTest(string test)
    {
        // One run of the whole suite, shared by the cases: the tool's tests are written to run in its order (run
        // alone with -T, "ascii quit" fails even against memcached), and each case reads its own outcome.
        var run = await cluster.MemccapableRun;

        Assert.True(run.Outcomes.TryGetValue(test, out var passed), $"'{test}' did not run: {run.Describe()}");
        Assert.True(passed, $"'{test}' failed: {run.Describe()}");
    }

    [Fact]
    public async Task Memccapable_WholeAsciiSuite_ThroughRouter_RunsAndPassesEveryTest()
    {
        var run = await cluster.MemccapableRun;

        Assert.Equal(Memccapable.AsciiTests.Order(StringComparer.Ordinal), run.Outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.True(run.ExitCode == 0 && !run.Failed.Any(), run.Describe());
    }
}
