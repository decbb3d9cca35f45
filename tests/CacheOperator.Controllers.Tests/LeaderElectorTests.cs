using System.Diagnostics;
using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Metrics;

namespace CacheOperator.Controllers.Tests;

public sealed class LeaderElectorTests : IAsyncDisposable
{
    private readonly InMemoryKubernetesClient _client = new();
    private readonly List<(CancellationTokenSource Stop, Task<LeadershipEnd> Run)> _runs = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, run) in _runs)
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
            stop.Dispose();
        }
    }

    /// <summary>Short timings keeping client-go's proportions; lease - retry - renew deadline leaves a safety margin.</summary>
    private static LeaderElectionOptions Options(string identity, double leaseSeconds = 3, bool release = true) => new()
    {
        LeaseNamespace = "ops",
        LeaseName = "cache-operator",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        ReleaseOnCancel = release,
    };

    private (LeaderElector Elector, CancellationTokenSource Stop, Task<LeadershipEnd> Run) Start(
        LeaderElectionOptions options, Func<CancellationToken, Task>? leading = null, IMetricsFactory? metrics = null)
    {
        var elector = new LeaderElector(_client, options, metrics);
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<LeadershipEnd> run = elector.RunAsync(leading ?? (ct => Task.Delay(Timeout.Infinite, ct)), stop.Token);
        _runs.Add((stop, run));
        return (elector, stop, run);
    }

    private Task<Lease?> LeaseAsync() => _client.GetAsync<Lease>("ops", "cache-operator");

    [Fact]
    public async Task SoleCandidate_CreatesTheLease_AndLeads()
    {
        var metrics = new MetricsRegistry();
        var leadingToken = new TaskCompletionSource<CancellationToken>();
        var (elector, _, _) = Start(Options("a"), ct =>
        {
            leadingToken.SetResult(ct);
            return Task.Delay(Timeout.Infinite, ct);
        }, metrics);

        await Eventually.TrueAsync(() => elector.IsLeader, "a leads");
        await leadingToken.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Lease lease = (await LeaseAsync())!;
        Assert.Equal("a", lease.Spec.HolderIdentity);
        Assert.Equal(3, lease.Spec.LeaseDurationSeconds);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
        Assert.Contains("cacheoperator_leader{lease=\"ops/cache-operator\"} 1", WorkQueueTests.Scrape(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leader_KeepsRenewingTheLease()
    {
        var (elector, _, _) = Start(Options("a"));
        await Eventually.TrueAsync(() => elector.IsLeader, "a leads");
        DateTimeOffset first = (await LeaseAsync())!.Spec.RenewTime!.Value;

        await Eventually.TrueAsync(() => LeaseAsync().Result!.Spec.RenewTime > first, "a renews");
        Assert.Equal("a", (await LeaseAsync())!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task TwoCandidates_NeverLeadAtOnce()
    {
        var (a, _, _) = Start(Options("a"));
        var (b, _, _) = Start(Options("b"));

        int both = 0, samples = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            if (a.IsLeader && b.IsLeader)
                both++;
            samples++;
            await Task.Delay(5);
        }

        Assert.Equal(0, both);
        Assert.True(a.IsLeader ^ b.IsLeader, "exactly one leads");
        Assert.True(samples > 10);
        Assert.Equal(a.IsLeader ? "a" : "b", (await LeaseAsync())!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task HolderThatStopsRenewing_IsTakenOverAfterTheLeaseDuration()
    {
        var (a, stopA, runA) = Start(Options("a", release: false));
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");
        var (b, _, _) = Start(Options("b", release: false));
        await Eventually.TrueAsync(() => b.ObservedLeader == "a", "b sees a");

        await stopA.CancelAsync();
        Assert.Equal(LeadershipEnd.Cancelled, await runA.WaitAsync(TimeSpan.FromSeconds(10)));
        var silent = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => b.IsLeader, "b takes over");

        // b can only judge the lease expired a full lease duration after it last saw it change.
        Assert.True(silent.Elapsed >= TimeSpan.FromSeconds(2.5), $"took over after {silent.Elapsed}");
        Lease lease = (await LeaseAsync())!;
        Assert.Equal("b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task CleanShutdown_ReleasesTheLease_SoTheOtherTakesOverAtOnce()
    {
        // A 30 s lease: a takeover within a few seconds can only come from the release.
        var (a, stopA, runA) = Start(Options("a", leaseSeconds: 30));
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");
        var (b, _, _) = Start(Options("b", leaseSeconds: 30));
        await Eventually.TrueAsync(() => b.ObservedLeader == "a", "b sees a");

        await stopA.CancelAsync();
        Assert.Equal(LeadershipEnd.Cancelled, await runA.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(a.IsLeader);

        await Eventually.TrueAsync(() => b.IsLeader, "b takes over", TimeSpan.FromSeconds(15));
        Assert.Equal("b", (await LeaseAsync())!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task FailingRenewals_EndLeadership_AndCancelTheWork()
    {
        var workCancelled = new TaskCompletionSource();
        var (a, _, runA) = Start(Options("a"), async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                workCancelled.SetResult();
            }
        });
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");

        _client.FailNext(FakeVerb.Replace, 1000, 500);

        Assert.Equal(LeadershipEnd.Lost, await runA.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.False(a.IsLeader);
        await workCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task LosingTheRaceForAnExpiredLease_Is409_AndDoesNotLead()
    {
        // A lease held by a holder that is about to renew once more, at the worst moment.
        await _client.CreateAsync(new Lease
        {
            Metadata = new ObjectMeta { Name = "cache-operator", Namespace = "ops" },
            Spec = new LeaseSpec { HolderIdentity = "ghost", LeaseDurationSeconds = 1, LeaseTransitions = 4 },
        });
        int raced = 0;
        _client.Interceptor = request =>
        {
            if (request.Verb == FakeVerb.Replace && Interlocked.Exchange(ref raced, 1) == 0)
            {
                Lease ghost = _client.GetAsync<Lease>("ops", "cache-operator").Result!;
                ghost.Spec.RenewTime = DateTimeOffset.UtcNow;
                _client.ReplaceAsync(ghost).Wait();
            }
            return null;
        };
        var (b, _, _) = Start(Options("b"));

        await Eventually.TrueAsync(() => _client.Requests.Any(r => r.Verb == FakeVerb.Replace && r.Error?.Code == 409),
            "b's first takeover attempt conflicts");
        Assert.False(b.IsLeader);

        // The ghost renews no more: b takes the lease a lease duration later, with one transition.
        await Eventually.TrueAsync(() => b.IsLeader, "b takes over later");
        Lease lease = (await LeaseAsync())!;
        Assert.Equal("b", lease.Spec.HolderIdentity);
        Assert.Equal(5, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public void Options_WithRenewDeadlineNotBelowLease_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new LeaderElector(_client, Options("a") with { RenewDeadline = TimeSpan.FromSeconds(5) }));
    }
}
