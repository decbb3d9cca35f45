using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Scheduling;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class PodSchedulerTests
{
    private readonly InMemoryKubernetesClient _client = new();
    private readonly PodScheduler _scheduler;

    public PodSchedulerTests() => _scheduler = new PodScheduler(_client, TimeProvider.System, TimeSpan.FromSeconds(10));

    private Task<Pod> CreatePodAsync(string name = "p") => _client.CreateAsync(new Pod
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = World.Ns },
        Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "x" }] },
    });

    [Fact]
    public async Task PendingPod_IsBoundToTheReadyNode()
    {
        await World.CreateNodeAsync(_client, "sandbox-node");
        await World.CreateNodeAsync(_client, "broken", ready: false);
        await CreatePodAsync();

        TimeSpan? again = await _scheduler.ReconcileAsync(World.Ns, "p");

        Pod pod = (await _client.GetAsync<Pod>(World.Ns, "p"))!;
        Assert.Null(again);
        Assert.Equal("sandbox-node", pod.Spec.NodeName);
        Condition scheduled = pod.Status!.Conditions!.Single(c => c.Type == "PodScheduled");
        Assert.Equal("True", scheduled.Status);
    }

    [Fact]
    public async Task NoReadyNode_LeavesPodPendingAndUnschedulable_ThenBindsWhenANodeAppears()
    {
        await CreatePodAsync();

        TimeSpan? again = await _scheduler.ReconcileAsync(World.Ns, "p");

        Pod pod = (await _client.GetAsync<Pod>(World.Ns, "p"))!;
        Assert.NotNull(again);
        Assert.Null(pod.Spec.NodeName);
        Assert.Equal("Pending", pod.Status!.Phase);
        Condition scheduled = pod.Status.Conditions!.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable"), (scheduled.Status, scheduled.Reason));

        _client.ClearRequests();
        await _scheduler.ReconcileAsync(World.Ns, "p");
        Assert.DoesNotContain(_client.Requests, r => r.IsWrite);

        await World.CreateNodeAsync(_client, "sandbox-node");
        await _scheduler.ReconcileAsync(World.Ns, "p");
        pod = (await _client.GetAsync<Pod>(World.Ns, "p"))!;
        Assert.Equal("sandbox-node", pod.Spec.NodeName);
        Assert.Equal("True", pod.Status!.Conditions!.Single(c => c.Type == "PodScheduled").Status);
    }

    [Fact]
    public async Task BoundPod_IsLeftAlone()
    {
        await World.CreateNodeAsync(_client, "a");
        Pod pod = await CreatePodAsync();
        pod.Spec.NodeName = "elsewhere";
        await _client.ReplaceAsync(pod);
        _client.ClearRequests();

        await _scheduler.ReconcileAsync(World.Ns, "p");

        Assert.DoesNotContain(_client.Requests, r => r.IsWrite);
    }
}
