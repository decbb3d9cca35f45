using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Orchestration;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// A Held replica stream (broken after it was in sync) from a primary that looks ready is the race of a killed
/// primary restarting empty at its old IP before the kubelet reports the restart: the replica holds the shard's
/// only copy, so it is not started over (which would empty it) until <see cref="ReplicaStreams.HeldGrace"/> has
/// passed with the primary unchanged.
/// </summary>
public sealed class HeldReplicaStreamTests
{
    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);

    /// <summary>One shard: pod 0 (10.1.0.1) primary, pod 1 (10.1.0.2) its replica, streaming; time under the test's hand.</summary>
    private async Task<ReconcileHarness> RunningAsync()
    {
        var h = await ReplicaStreamsReconcileTests.RunningAsync(ReplicaStreamsReconcileTests.TwoCopies);
        h.Reconciler.Replicas.Time = _time;
        return h;
    }

    [Fact]
    public async Task HeldStream_FromAPrimaryThatLooksReady_IsLeftAloneThroughTheGrace()
    {
        var h = await RunningAsync();
        var held = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        h.ReplicaNodes.Set("10.1.0.2", ReplicaPhases.Held, lag: 0, error: "source closed the stream");

        await h.ReconcileAsync("demo");
        _time.Advance(ReplicaStreams.HeldGrace - TimeSpan.FromSeconds(1));
        await h.ReconcileAsync("demo");

        Assert.Empty(h.ReplicaNodes.Stops);
        Assert.Equal(held.Id, Assert.Single(h.ReplicaNodes.On("10.1.0.2")).Id);
        var replica = (await h.ClusterAsync("demo")).Status!.Members!.Single(m => m.Name == "demo-default-1");
        Assert.Equal(ReplicaPhases.Held, replica.Replication);
    }

    [Fact]
    public async Task HeldStream_PastTheGrace_WithThePrimaryUnchanged_IsStartedOver()
    {
        var h = await RunningAsync();
        var held = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        h.ReplicaNodes.Set("10.1.0.2", ReplicaPhases.Held, lag: 0, error: "source closed the stream");

        await h.ReconcileAsync("demo");
        _time.Advance(ReplicaStreams.HeldGrace);
        await h.ReconcileAsync("demo");
        await ReplicaStreamsReconcileTests.AssertLeftOutOfTheRingFirst(h, "demo-default-1", "10.1.0.2", held);

        Assert.Equal([("10.1.0.2", held.Id)], h.ReplicaNodes.Stops);
        Assert.NotEqual(held.Id, Assert.Single(h.ReplicaNodes.On("10.1.0.2")).Id);
        Assert.Contains((await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items, e => e.Reason == "ReplicaStreamRestarted");
    }

    [Fact]
    public async Task HeldStream_WhenThePrimaryTurnsOutRestarted_IsPromotedNotStartedOver()
    {
        var h = await RunningAsync();
        h.ReplicaNodes.Set("10.1.0.2", ReplicaPhases.Held, lag: 0, error: "source closed the stream");
        var startsBefore = h.ReplicaNodes.Starts.Count(s => s.Replica == "10.1.0.2");
        await h.ReconcileAsync("demo");
        Assert.Empty(h.ReplicaNodes.Stops);

        // The kubelet now reports what happened: the primary's process was killed and started again.
        var primary = (await h.GetAsync<Pod>("demo-default-0"))!;
        var restartedAt = DateTimeOffset.UtcNow.AddSeconds(5);
        primary.Status!.ContainerStatuses = [new ContainerStatus
        {
            Name = Desired.NodeStatefulSetBuilder.ContainerName,
            Ready = true,
            RestartCount = 1,
            State = new ContainerState { Running = new ContainerStateRunning { StartedAt = restartedAt } },
        }];
        await h.Api.ReplaceStatusAsync(primary);
        _time.Advance(TimeSpan.FromSeconds(2));
        await h.ReconcileAsync("demo");

        Assert.Contains("10.1.0.2", h.ReplicaNodes.Promoted);
        Assert.Equal(startsBefore, h.ReplicaNodes.Starts.Count(s => s.Replica == "10.1.0.2"));
    }
}
