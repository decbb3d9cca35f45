using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>
/// The real kubectl reads the status these controllers write: <c>rollout status</c>, <c>scale</c> and
/// <c>set image</c> against the sandbox API server, with the test playing the kubelet in the background.
/// </summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private const string StatefulSetYaml = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          replicas: 2
          serviceName: web
          podManagementPolicy: OrderedReady
          updateStrategy: {type: RollingUpdate}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: main, image: "img:1"}]
        """;

    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: router}
        spec:
          replicas: 2
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
          selector: {matchLabels: {app: router}}
          template:
            metadata: {labels: {app: router}}
            spec:
              containers: [{name: main, image: "img:1"}]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("ssc-kubectl-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private SandboxApiServer? _server;
    private KubernetesClient? _client;
    private SandboxControllers? _controllers;
    private Task? _kubelet;
    private Kubectl? _kubectl;

    private KubernetesClient Client => _client!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions());
        string kubeconfig = Path.Combine(_dir, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new Kubectl(kubeconfig, Path.Combine(_dir, "cache"));
        _client = new KubernetesClient(new KubernetesClientConfiguration { Server = _server.BaseAddress });
        await World.CreateNodeAsync(Client, "sandbox-node");
        _controllers = await SandboxControllers.StartAsync(Client, new SandboxControllersOptions());
        _kubelet = Task.Run(() => KubeletAsync(_stop.Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_kubelet is not null)
            await _kubelet;
        if (_controllers is not null)
            await _controllers.DisposeAsync();
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Bound pods become Ready a little later; terminating ones are confirmed gone.</summary>
    private async Task KubeletAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (Pod pod in await World.PodsAsync(Client))
                {
                    if (pod.Metadata.DeletionTimestamp is not null)
                        await Client.DeleteAsync<Pod>(World.Ns, pod.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 }, ct);
                    else if (pod.Spec.NodeName is not null && !PodInspection.IsRunningAndReady(pod))
                        await World.MarkReadyAsync(Client, pod.Metadata.Name!);
                }
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (KubernetesApiException)
            {
                // A pod changed under us (409) or went (404): look again next pass.
            }
        }
    }

    private string Manifest(string name, string yaml)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task RolloutStatus_StatefulSet_FollowsCreationScaleAndImageChange()
    {
        await _kubectl!.OkAsync("apply", "-f", Manifest("sts.yaml", StatefulSetYaml), "--validate=false");
        string done = await _kubectl.OkAsync("rollout", "status", "statefulset/web", "--timeout=60s");
        Assert.Contains("rolling update complete 2 pods", done, StringComparison.Ordinal);

        await _kubectl.OkAsync("scale", "statefulset/web", "--replicas=3");
        await _kubectl.OkAsync("rollout", "status", "statefulset/web", "--timeout=60s");
        await _kubectl.OkAsync("set", "image", "statefulset/web", "main=img:2");
        await _kubectl.OkAsync("rollout", "status", "statefulset/web", "--timeout=60s");

        string images = await _kubectl.OkAsync("get", "pods", "-l", "app=web", "-o",
            "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}");
        Assert.Equal("web-0=img:2 web-1=img:2 web-2=img:2", images.Trim());
    }

    [Fact]
    public async Task RolloutStatus_Deployment_FollowsImageChange()
    {
        await _kubectl!.OkAsync("apply", "-f", Manifest("deploy.yaml", DeploymentYaml), "--validate=false");
        await _kubectl.OkAsync("rollout", "status", "deployment/router", "--timeout=60s");

        await _kubectl.OkAsync("set", "image", "deployment/router", "main=img:2");
        string done = await _kubectl.OkAsync("rollout", "status", "deployment/router", "--timeout=60s");

        Assert.Contains("successfully rolled out", done, StringComparison.Ordinal);
        // As with a real cluster, the rollout is done once the old pods are terminating, not necessarily gone.
        string images = await _kubectl.OkAsync("get", "pods", "-l", "app=router", "-o",
            "jsonpath={range .items[*]}{.spec.containers[0].image}/{.metadata.deletionTimestamp} {end}");
        Assert.Equal(["img:2/", "img:2/"], images.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(i => i.EndsWith('/')));
    }
}
