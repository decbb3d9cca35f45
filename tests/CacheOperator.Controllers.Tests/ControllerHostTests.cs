using CacheOperator.Kubernetes.Fakes;

namespace CacheOperator.Controllers.Tests;

public sealed class ControllerHostTests
{
    private static readonly ControllerOptions Fast = new()
    {
        ShutdownTimeout = TimeSpan.FromSeconds(5),
        Informer = new InformerOptions { InitialRelistDelay = TimeSpan.FromMilliseconds(20) },
    };

    private readonly InMemoryKubernetesClient _client = new();

    private static LeaderElectionOptions Election(string identity) => new()
    {
        LeaseNamespace = "ops",
        LeaseName = "cache-operator",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(30),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    private (ControllerHost Host, RecordingReconciler Reconciler, LeaderElector Elector) Replica(string identity)
    {
        var reconciler = new RecordingReconciler();
        var controller = new Controller<Widget>("widgets", _client, reconciler, Fast);
        var elector = new LeaderElector(_client, Election(identity));
        return (new ControllerHost([controller], elector), reconciler, elector);
    }

    [Fact]
    public async Task WithoutElection_RunsControllersUntilCancelled()
    {
        await _client.CreateAsync(Widget.Named("a"));
        var reconciler = new RecordingReconciler();
        var host = new ControllerHost([new Controller<Widget>("widgets", _client, reconciler, Fast)]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Task<LeadershipEnd> run = host.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => reconciler.CountFor("a") == 1, "a reconciled");
        Assert.True(host.IsActive);
        Assert.True(host.HasSynced);
        await stop.CancelAsync();

        Assert.Equal(LeadershipEnd.Cancelled, await run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task OnlyTheLeaderReconciles_AndTheOtherTakesOverOnCleanShutdown()
    {
        await _client.CreateAsync(Widget.Named("a"));
        var (hostA, reconcilerA, electorA) = Replica("a");
        var (hostB, reconcilerB, electorB) = Replica("b");
        using var stopA = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stopB = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<LeadershipEnd> runA = hostA.RunAsync(stopA.Token);
        await Eventually.TrueAsync(() => reconcilerA.CountFor("a") == 1, "the first replica leads and reconciles");
        Task<LeadershipEnd> runB = hostB.RunAsync(stopB.Token);
        try
        {
            await Eventually.TrueAsync(() => electorB.ObservedLeader == "a", "b sees a lead");
            await _client.CreateAsync(Widget.Named("b"));
            await Eventually.TrueAsync(() => reconcilerA.CountFor("b") == 1, "the leader reconciles new objects");
            Assert.Empty(reconcilerB.Calls);
            Assert.False(hostB.IsActive);

            await stopA.CancelAsync();
            Assert.Equal(LeadershipEnd.Cancelled, await runA.WaitAsync(TimeSpan.FromSeconds(20)));

            await Eventually.TrueAsync(() => reconcilerB.CountFor("a") == 1 && reconcilerB.CountFor("b") == 1,
                "the second replica takes over and reconciles everything");
            Assert.True(electorB.IsLeader);
            Assert.False(electorA.IsLeader);
        }
        finally
        {
            await stopB.CancelAsync();
            await runB.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task LosingLeadership_StopsTheControllers()
    {
        await _client.CreateAsync(Widget.Named("a"));
        var (host, reconciler, elector) = Replica("a");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<LeadershipEnd> run = host.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => reconciler.CountFor("a") == 1, "leads and reconciles");

        _client.FailNext(FakeVerb.Replace, 10_000, 503, kind: "Lease");

        Assert.Equal(LeadershipEnd.Lost, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.False(elector.IsLeader);
        Assert.Equal(0, _client.OpenWatchCount);
    }
}
