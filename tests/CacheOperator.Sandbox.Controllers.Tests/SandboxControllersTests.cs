using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>Everything running together, driven only by watches, with the test playing the kubelet.</summary>
public class SandboxControllersTests
{
    private readonly InMemoryKubernetesClient _client = new();

    /// <summary>Marks bound pods Ready, as a kubelet would, until the condition holds.</summary>
    private async Task RunKubeletUntilAsync(Func<Task<bool>> condition, string what)
    {
        await World.WaitUntilAsync(async () =>
        {
            await World.MarkAllReadyAsync(_client, onlyBound: true);
            return await condition();
        }, what);
    }

    [Fact]
    public async Task StatefulSet_IsScheduledCreatedAndReportedReady_ThroughWatchesAlone()
    {
        await World.CreateNodeAsync(_client, "sandbox-node");
        await using var controllers = await SandboxControllers.StartAsync(_client, new SandboxControllersOptions());

        await _client.CreateAsync(World.StatefulSet("web", 3));

        await RunKubeletUntilAsync(async () =>
            (await _client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 3, "3 ready replicas");
        List<Pod> pods = await World.PodsAsync(_client);
        Assert.Equal(["web-0", "web-1", "web-2"], pods.Select(p => p.Metadata.Name));
        Assert.All(pods, p => Assert.Equal("sandbox-node", p.Spec.NodeName));
        // OrderedReady: each pod was created after the previous one was Ready.
        Assert.True(pods[0].Metadata.CreationTimestamp <= pods[1].Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task Deployment_RollsToNewTemplate_ThroughWatchesAlone()
    {
        await World.CreateNodeAsync(_client, "sandbox-node");
        await using var controllers = await SandboxControllers.StartAsync(_client, new SandboxControllersOptions());
        await _client.CreateAsync(World.Deployment("router", 2));
        await RunKubeletUntilAsync(async () =>
            (await _client.GetAsync<Deployment>(World.Ns, "router"))?.Status?.AvailableReplicas == 2, "2 available");

        Deployment deployment = (await _client.GetAsync<Deployment>(World.Ns, "router"))!;
        deployment.Spec.Template.Spec.Containers[0].Image = "img:2";
        await _client.ReplaceAsync(deployment);

        await RunKubeletUntilAsync(async () =>
        {
            List<Pod> pods = await World.PodsAsync(_client);
            Deployment? d = await _client.GetAsync<Deployment>(World.Ns, "router");
            return pods.Count == 2 && pods.All(p => p.Spec.Containers[0].Image == "img:2")
                && d?.Status?.UpdatedReplicas == 2 && d.Status.AvailableReplicas == 2;
        }, "the rollout to finish");
    }

    [Fact]
    public async Task DeletedStatefulSetPod_IsRecreated_ThroughWatchesAlone()
    {
        await World.CreateNodeAsync(_client, "sandbox-node");
        await using var controllers = await SandboxControllers.StartAsync(_client, new SandboxControllersOptions());
        await _client.CreateAsync(World.StatefulSet("web", 2, policy: "Parallel"));
        await RunKubeletUntilAsync(async () =>
            (await _client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 2, "2 ready");
        string uid = (await _client.GetAsync<Pod>(World.Ns, "web-0"))!.Metadata.Uid!;

        await _client.DeleteAsync<Pod>(World.Ns, "web-0");

        await RunKubeletUntilAsync(async () =>
            (await _client.GetAsync<Pod>(World.Ns, "web-0")) is { } pod && pod.Metadata.Uid != uid
            && (await _client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 2, "web-0 back and ready");
    }

    [Fact]
    public async Task PendingPod_IsBoundAsSoonAsANodeBecomesReady()
    {
        await using var controllers = await SandboxControllers.StartAsync(_client,
            new SandboxControllersOptions { UnschedulableRetry = TimeSpan.FromMinutes(10) });
        await _client.CreateAsync(World.StatefulSet("web", 1));
        await World.WaitUntilAsync(async () =>
            (await _client.GetAsync<Pod>(World.Ns, "web-0"))?.Status?.Conditions?.Any(c => c.Reason == "Unschedulable") == true,
            "web-0 unschedulable");

        Node node = await World.CreateNodeAsync(_client, "sandbox-node", ready: false);
        node.Status!.Conditions![0].Status = "True";
        await _client.ReplaceStatusAsync(node);

        // The retry interval is long: only the node's event can have woken the scheduler.
        await World.WaitUntilAsync(async () =>
            (await _client.GetAsync<Pod>(World.Ns, "web-0"))?.Spec.NodeName == "sandbox-node", "web-0 bound");
    }
}
