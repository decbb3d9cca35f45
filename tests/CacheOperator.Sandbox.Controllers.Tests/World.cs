using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>
/// Builds objects and plays the kubelet's part against any <see cref="IKubernetesClient"/>: tests move pods to
/// Running and Ready (or Failed) through the status subresource, as the kubelet would.
/// </summary>
internal static class World
{
    public const string Ns = "default";

    public static StatefulSet StatefulSet(string name, int replicas, string image = "img:1", string? policy = null,
        string? strategy = null, int? partition = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new ObjectMeta { Name = name, Namespace = Ns },
        Spec = new StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name + "-headless",
            PodManagementPolicy = policy,
            UpdateStrategy = strategy is null && partition is null ? null : new StatefulSetUpdateStrategy
            {
                Type = strategy ?? "RollingUpdate",
                RollingUpdate = partition is null ? null : new RollingUpdateStatefulSetStrategy { Partition = partition },
            },
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, image),
        },
    };

    public static Deployment Deployment(string name, int replicas, string image = "img:1", string? strategy = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new ObjectMeta { Name = name, Namespace = Ns },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Strategy = strategy is null ? null : new DeploymentStrategy { Type = strategy },
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, image),
        },
    };

    public static PodTemplateSpec Template(string app, string image) => new()
    {
        Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new PodSpec { Containers = [new Container { Name = "main", Image = image }] },
    };

    /// <summary>Registers a node as the kubelet does: create it, then report its status.</summary>
    public static async Task<Node> CreateNodeAsync(IKubernetesClient client, string name, bool ready = true)
    {
        Node node = await client.CreateAsync(new Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new ObjectMeta { Name = name },
        });
        node.Status = new NodeStatus
        {
            Conditions = [new Condition { Type = "Ready", Status = ready ? "True" : "False" }],
        };
        return await client.ReplaceStatusAsync(node);
    }

    public static async Task<List<Pod>> PodsAsync(IKubernetesClient client) =>
        (await client.ListAsync<Pod>(Ns)).Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();

    public static async Task<List<string>> PodNamesAsync(IKubernetesClient client) =>
        (await PodsAsync(client)).Select(p => p.Metadata.Name!).ToList();

    /// <summary>What the kubelet reports once the pod's containers run and pass readiness.</summary>
    public static async Task MarkReadyAsync(IKubernetesClient client, string podName)
    {
        Pod pod = (await client.GetAsync<Pod>(Ns, podName))!;
        pod.Status = new PodStatus
        {
            Phase = "Running",
            PodIP = "127.0.0.2",
            Conditions = [new Condition { Type = "Ready", Status = "True" }],
        };
        await client.ReplaceStatusAsync(pod);
    }

    /// <summary>
    /// Marks every live pod Ready. A pod written meanwhile by a controller (409) or gone (404) is skipped: callers
    /// that run concurrently with controllers call this in a loop, as a kubelet would retry.
    /// </summary>
    public static async Task MarkAllReadyAsync(IKubernetesClient client, bool onlyBound = false)
    {
        foreach (Pod pod in await PodsAsync(client))
        {
            if (pod.Metadata.DeletionTimestamp is not null || PodInspection.IsRunningAndReady(pod) || (onlyBound && pod.Spec.NodeName is null))
                continue;
            try
            {
                await MarkReadyAsync(client, pod.Metadata.Name!);
            }
            catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsNotFound)
            {
            }
        }
    }

    public static async Task MarkFailedAsync(IKubernetesClient client, string podName)
    {
        Pod pod = (await client.GetAsync<Pod>(Ns, podName))!;
        pod.Status = new PodStatus { Phase = "Failed" };
        await client.ReplaceStatusAsync(pod);
    }

    /// <summary>Makes deletion of the pod wait (deletionTimestamp set, object kept) until <see cref="ReleaseAsync"/>.</summary>
    public static async Task HoldAsync(IKubernetesClient client, string podName)
    {
        Pod pod = (await client.GetAsync<Pod>(Ns, podName))!;
        pod.Metadata.Finalizers = ["test/kubelet"];
        await client.ReplaceAsync(pod);
    }

    /// <summary>The kubelet confirming a held pod's termination.</summary>
    public static async Task ReleaseAsync(IKubernetesClient client, string podName)
    {
        Pod pod = (await client.GetAsync<Pod>(Ns, podName))!;
        pod.Metadata.Finalizers = [];
        await client.ReplaceAsync(pod);
    }

    /// <summary>Polls until the condition holds; fails after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(20);
        }
        Assert.Fail($"timed out waiting for {what}");
    }
}
