using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Endpoints;
using K8sEndpoints = CacheOperator.Kubernetes.Models.Core.Endpoints;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class EndpointsTests
{
    private readonly InMemoryKubernetesClient _client = new();

    private static Service Service(string name, bool headless = false, IntOrString? targetPort = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = name, Namespace = World.Ns, Labels = new Dictionary<string, string> { ["team"] = "cache" } },
        Spec = new ServiceSpec
        {
            ClusterIP = headless ? "None" : null,
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            Ports = [new ServicePort { Name = "memcache", Port = 11211, TargetPort = targetPort }],
        },
    };

    private static Pod Pod(string name, string? ip, bool ready, string app = "web", int containerPort = 11211) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = World.Ns, Uid = name + "-uid", Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new PodSpec
        {
            Hostname = name,
            Subdomain = "web-headless",
            NodeName = "sandbox-node",
            Containers = [new Container { Name = "c", Ports = [new ContainerPort { Name = "memcache", Port = containerPort }] }],
        },
        Status = new PodStatus
        {
            Phase = ip is null ? "Pending" : "Running",
            PodIP = ip,
            Conditions = [new Condition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    [Fact]
    public void Build_SplitsReadyAndNotReady_SkipsOthers()
    {
        Pod[] pods =
        [
            Pod("web-0", "127.0.1.1", ready: true),
            Pod("web-1", "127.0.1.2", ready: false),
            Pod("web-2", null, ready: false),
            Pod("other", "127.0.1.9", ready: true, app: "other"),
        ];

        EndpointSubset subset = Assert.Single(EndpointsBuilder.Build(Service("web-headless", headless: true), pods));

        EndpointAddress ready = Assert.Single(subset.Addresses!);
        Assert.Equal(("127.0.1.1", "web-0", "sandbox-node", "web-0"), (ready.IP, ready.Hostname, ready.NodeName, ready.TargetRef!.Name));
        Assert.Equal("127.0.1.2", Assert.Single(subset.NotReadyAddresses!).IP);
        EndpointPort port = Assert.Single(subset.Ports!);
        Assert.Equal(("memcache", 11211, "TCP"), (port.Name, port.Port, port.Protocol));
    }

    [Fact]
    public void Build_NamedTargetPort_ResolvesPerPodAndGroupsBySamePorts()
    {
        Pod[] pods = [Pod("a", "127.0.1.1", true, containerPort: 7000), Pod("b", "127.0.1.2", true, containerPort: 7001)];

        List<EndpointSubset> subsets = EndpointsBuilder.Build(Service("web", targetPort: "memcache"), pods);

        Assert.Equal([7000, 7001], subsets.Select(s => s.Ports!.Single().Port).Order());
        Assert.All(subsets, s => Assert.Null(s.Addresses!.Single().Hostname));
    }

    [Fact]
    public async Task Controller_WritesEndpointsOnlyOnChange_AndDeletesThemWithTheService()
    {
        var controller = new EndpointsController(_client);
        await _client.CreateAsync(Service("web-headless", headless: true));
        foreach (Pod pod in new[] { Pod("web-0", null, false), Pod("web-1", null, false) })
        {
            pod.Status = null;
            await _client.CreateAsync(pod);
        }
        await World.MarkReadyAsync(_client, "web-0");

        await controller.ReconcileAsync(World.Ns, "web-headless");

        K8sEndpoints endpoints = (await _client.GetAsync<K8sEndpoints>(World.Ns, "web-headless"))!;
        EndpointSubset subset = Assert.Single(endpoints.Subsets!);
        Assert.Equal("web-0", Assert.Single(subset.Addresses!).Hostname);
        Assert.Null(subset.NotReadyAddresses);
        Assert.Equal("cache", endpoints.Metadata.Labels!["team"]);
        Assert.True(endpoints.Metadata.Labels.ContainsKey(EndpointsController.HeadlessLabel));

        _client.ClearRequests();
        await controller.ReconcileAsync(World.Ns, "web-headless");
        Assert.DoesNotContain(_client.Requests, r => r.IsWrite);

        await _client.DeleteAsync<Service>(World.Ns, "web-headless");
        await controller.ReconcileAsync(World.Ns, "web-headless");
        Assert.Null(await _client.GetAsync<K8sEndpoints>(World.Ns, "web-headless"));
    }

    [Fact]
    public async Task SandboxControllers_FollowPodReadiness()
    {
        await _client.CreateAsync(Service("web-headless", headless: true));
        await _client.CreateAsync(World.StatefulSet("web", 2, policy: "Parallel"));
        await World.CreateNodeAsync(_client, "sandbox-node");
        await using var controllers = await SandboxControllers.StartAsync(_client, new SandboxControllersOptions());

        await World.WaitUntilAsync(async () =>
        {
            await World.MarkAllReadyAsync(_client);
            K8sEndpoints? endpoints = await _client.GetAsync<K8sEndpoints>(World.Ns, "web-headless");
            return endpoints?.Subsets is [{ Addresses.Count: 2 }];
        }, "two ready addresses");
    }
}
