using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Autoscaling;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>
/// The controllers against the sandbox API server over HTTP with the real client: graceful pod deletion
/// (deletionTimestamp until the kubelet confirms), the /scale subresource, server-side garbage collection.
/// The test plays the kubelet: it marks bound pods Ready and confirms terminations.
/// </summary>
public sealed class ApiServerTests : IAsyncLifetime
{
    private SandboxApiServer? _server;
    private KubernetesClient? _client;
    private SandboxControllers? _controllers;

    private KubernetesClient Client => _client!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { GarbageCollectionInterval = TimeSpan.FromMilliseconds(100) });
        _client = new KubernetesClient(new KubernetesClientConfiguration { Server = _server.BaseAddress });
        await World.CreateNodeAsync(Client, "sandbox-node");
        _controllers = await SandboxControllers.StartAsync(Client, new SandboxControllersOptions());
    }

    public async Task DisposeAsync()
    {
        if (_controllers is not null)
            await _controllers.DisposeAsync();
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>One pass of a kubelet: bound pods become Ready, terminating ones are confirmed gone.</summary>
    private async Task KubeletPassAsync()
    {
        foreach (Pod pod in await World.PodsAsync(Client))
        {
            if (pod.Metadata.DeletionTimestamp is not null)
                await Client.DeleteAsync<Pod>(World.Ns, pod.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        }
        await World.MarkAllReadyAsync(Client, onlyBound: true);
    }

    private Task RunKubeletUntilAsync(Func<Task<bool>> condition, string what) =>
        World.WaitUntilAsync(async () =>
        {
            await KubeletPassAsync();
            return await condition();
        }, what, seconds: 30);

    [Fact]
    public async Task ScaleSubresource_ScalesTheStatefulSetUpAndDown()
    {
        await Client.CreateAsync(World.StatefulSet("web", 1));
        await RunKubeletUntilAsync(async () =>
            (await Client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 1, "1 ready");

        await Client.ScaleAsync<StatefulSet>(World.Ns, "web", 3);
        await RunKubeletUntilAsync(async () =>
            (await Client.GetScaleAsync<StatefulSet>(World.Ns, "web"))?.Status?.Replicas == 3
            && (await Client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 3, "scale to 3");
        Assert.Equal(["web-0", "web-1", "web-2"], await World.PodNamesAsync(Client));

        await Client.ScaleAsync<StatefulSet>(World.Ns, "web", 1);
        await RunKubeletUntilAsync(async () =>
            (await World.PodNamesAsync(Client)).SequenceEqual(["web-0"])
            && (await Client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.Replicas == 1, "scale to 1");
        Scale scale = (await Client.GetScaleAsync<StatefulSet>(World.Ns, "web"))!;
        Assert.Equal(1, scale.Spec.Replicas);
        Assert.Equal(1, scale.Status?.Replicas);
    }

    [Fact]
    public async Task DeletingTheStatefulSet_GarbageCollectsItsPods()
    {
        await Client.CreateAsync(World.StatefulSet("web", 2, policy: "Parallel"));
        await RunKubeletUntilAsync(async () =>
            (await Client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 2, "2 ready");

        await Client.DeleteAsync<StatefulSet>(World.Ns, "web", DeleteOptions.Background);

        await RunKubeletUntilAsync(async () => (await World.PodsAsync(Client)).Count == 0, "pods collected");
        Assert.Null(await Client.GetAsync<StatefulSet>(World.Ns, "web"));
    }

    [Fact]
    public async Task DeletedPod_TerminatesGracefully_ThenComesBackUnderItsName()
    {
        await Client.CreateAsync(World.StatefulSet("web", 2));
        await RunKubeletUntilAsync(async () =>
            (await Client.GetAsync<StatefulSet>(World.Ns, "web"))?.Status?.ReadyReplicas == 2, "2 ready");
        string uid = (await Client.GetAsync<Pod>(World.Ns, "web-1"))!.Metadata.Uid!;

        Pod? terminating = await Client.DeleteAsync<Pod>(World.Ns, "web-1");
        Assert.NotNull(terminating?.Metadata.DeletionTimestamp);
        // Until the kubelet confirms, the name is taken and the controller must not try to reuse it.
        await Task.Delay(300);
        Assert.Equal(uid, (await Client.GetAsync<Pod>(World.Ns, "web-1"))!.Metadata.Uid);

        await RunKubeletUntilAsync(async () =>
            (await Client.GetAsync<Pod>(World.Ns, "web-1")) is { } pod && pod.Metadata.Uid != uid
            && PodInspection.IsRunningAndReady(pod), "web-1 back");
    }

    [Fact]
    public async Task Deployment_ScalesAndRolls_OverHttp()
    {
        await Client.CreateAsync(World.Deployment("router", 2));
        await RunKubeletUntilAsync(async () =>
            (await Client.GetAsync<Deployment>(World.Ns, "router"))?.Status?.AvailableReplicas == 2, "2 available");

        Deployment deployment = (await Client.GetAsync<Deployment>(World.Ns, "router"))!;
        deployment.Spec.Replicas = 3;
        deployment.Spec.Template.Spec.Containers[0].Image = "img:2";
        await Client.ReplaceAsync(deployment);

        await RunKubeletUntilAsync(async () =>
        {
            List<Pod> pods = await World.PodsAsync(Client);
            Deployment? d = await Client.GetAsync<Deployment>(World.Ns, "router");
            return pods.Count == 3 && pods.All(p => p.Spec.Containers[0].Image == "img:2")
                && d?.Status?.UpdatedReplicas == 3 && d.Status.AvailableReplicas == 3
                && d.Status.ObservedGeneration == d.Metadata.Generation;
        }, "the rollout to finish");
    }
}
