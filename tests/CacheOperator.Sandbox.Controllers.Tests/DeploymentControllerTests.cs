using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Deployments;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>The Deployment controller stepped by hand against the in-memory API server.</summary>
public class DeploymentControllerTests
{
    private readonly InMemoryKubernetesClient _client = new();
    private readonly DeploymentController _controller;

    public DeploymentControllerTests() => _controller = new DeploymentController(_client, TimeProvider.System);

    private Task ReconcileAsync() => _controller.ReconcileAsync(World.Ns, "router");

    private async Task<Deployment> DeploymentAsync() => (await _client.GetAsync<Deployment>(World.Ns, "router"))!;

    private async Task SetAsync(Action<Deployment> change)
    {
        Deployment deployment = await DeploymentAsync();
        change(deployment);
        await _client.ReplaceAsync(deployment);
    }

    [Fact]
    public async Task Create_MakesReplicasPodsNamedByTemplateHash()
    {
        Deployment deployment = await _client.CreateAsync(World.Deployment("router", 3));

        await ReconcileAsync();

        List<Pod> pods = await World.PodsAsync(_client);
        Assert.Equal(3, pods.Count);
        string hash = pods[0].Metadata.Labels![WellKnownLabels.PodTemplateHash];
        Assert.All(pods, p =>
        {
            Assert.Matches($"^router-{hash}-[{TemplateHash.Alphabet}]{{5}}$", p.Metadata.Name);
            Assert.Equal("router", p.Metadata.Labels!["app"]);
            Assert.Equal(deployment.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences!).Uid);
        });
        Assert.Equal(3, pods.Select(p => p.Metadata.Name).Distinct().Count());
    }

    [Fact]
    public async Task Scale_UpAndDown()
    {
        await _client.CreateAsync(World.Deployment("router", 2));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);

        await SetAsync(d => d.Spec.Replicas = 4);
        await ReconcileAsync();
        Assert.Equal(4, (await World.PodsAsync(_client)).Count);

        // The two not yet Ready go first.
        List<string> ready = (await World.PodsAsync(_client)).Where(PodInspection.IsRunningAndReady).Select(p => p.Metadata.Name!).ToList();
        await SetAsync(d => d.Spec.Replicas = 2);
        await ReconcileAsync();
        Assert.Equal(ready, await World.PodNamesAsync(_client));
    }

    [Fact]
    public async Task TemplateChange_RollsOneAtATime_NeverBelowReplicasReady()
    {
        await _client.CreateAsync(World.Deployment("router", 2));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        await SetAsync(d => d.Spec.Strategy = new DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
        });
        await SetAsync(d => d.Spec.Template.Spec.Containers[0].Image = "img:2");

        for (int step = 0; step < 20; step++)
        {
            await ReconcileAsync();
            List<Pod> pods = await World.PodsAsync(_client);
            Assert.InRange(pods.Count, 2, 3);
            Assert.True(pods.Count(PodInspection.IsRunningAndReady) >= 2, "a rolling update with maxUnavailable 0 kept two Ready");
            if (pods.Count == 2 && pods.All(p => p.Spec.Containers[0].Image == "img:2") && pods.All(PodInspection.IsRunningAndReady))
                break;
            await World.MarkAllReadyAsync(_client);
        }

        List<Pod> final = await World.PodsAsync(_client);
        Assert.Equal(2, final.Count);
        Assert.All(final, p => Assert.Equal("img:2", p.Spec.Containers[0].Image));
        await ReconcileAsync();
        DeploymentStatus status = (await DeploymentAsync()).Status!;
        Assert.Equal(2, status.UpdatedReplicas);
        Assert.Equal("NewReplicaSetAvailable", status.Conditions!.Single(c => c.Type == "Progressing").Reason);
    }

    [Fact]
    public async Task Recreate_RemovesAllOldPodsBeforeCreatingNewOnes()
    {
        await _client.CreateAsync(World.Deployment("router", 2, strategy: "Recreate"));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        await SetAsync(d => d.Spec.Template.Spec.Containers[0].Image = "img:2");

        await ReconcileAsync();
        Assert.Empty(await World.PodsAsync(_client));

        await ReconcileAsync();
        List<Pod> pods = await World.PodsAsync(_client);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal("img:2", p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Status_ReportsCountsAndAvailability()
    {
        await _client.CreateAsync(World.Deployment("router", 2));
        await ReconcileAsync();
        await ReconcileAsync();

        Deployment deployment = await DeploymentAsync();
        Assert.Equal(2, deployment.Status!.Replicas);
        Assert.Equal(0, deployment.Status.ReadyReplicas);
        Assert.Equal(2, deployment.Status.UpdatedReplicas);
        Condition available = deployment.Status.Conditions!.Single(c => c.Type == "Available");
        Assert.Equal("False", available.Status);

        await World.MarkAllReadyAsync(_client);
        await ReconcileAsync();
        deployment = await DeploymentAsync();
        Assert.Equal(deployment.Metadata.Generation, deployment.Status!.ObservedGeneration);
        Assert.Equal(2, deployment.Status.AvailableReplicas);
        Assert.Equal(0, deployment.Status.UnavailableReplicas);
        Assert.Equal("True", deployment.Status.Conditions!.Single(c => c.Type == "Available").Status);

        _client.ClearRequests();
        await ReconcileAsync();
        Assert.DoesNotContain(_client.Requests, r => r.IsWrite);
    }
}
