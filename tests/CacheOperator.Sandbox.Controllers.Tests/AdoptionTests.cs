using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Deployments;
using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class AdoptionTests
{
    private readonly InMemoryKubernetesClient _client = new();

    private Task<Pod> OrphanAsync(string name, string app) => _client.CreateAsync(new Pod
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = World.Ns, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new PodSpec { Containers = [new Container { Name = "main", Image = "img:1" }] },
    });

    [Fact]
    public async Task StatefulSet_AdoptsOrphansWithItsNamesAndLabels_Only()
    {
        Pod orphan = await OrphanAsync("web-0", "web");
        await OrphanAsync("web-extra", "web");
        await OrphanAsync("web-1", "other");
        StatefulSet set = await _client.CreateAsync(World.StatefulSet("web", 1));

        await new StatefulSetController(_client).ReconcileAsync(World.Ns, "web");

        Pod pod = (await _client.GetAsync<Pod>(World.Ns, "web-0"))!;
        Assert.Equal(orphan.Metadata.Uid, pod.Metadata.Uid);
        Assert.Equal(set.Metadata.Uid, PodInspection.ControllerOf(pod)?.Uid);
        Assert.Null((await _client.GetAsync<Pod>(World.Ns, "web-extra"))!.Metadata.OwnerReferences);
        Assert.Null((await _client.GetAsync<Pod>(World.Ns, "web-1"))!.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Deployment_AdoptsMatchingOrphans_AndCountsThem()
    {
        await OrphanAsync("loose", "router");
        await OrphanAsync("stranger", "other");
        Deployment deployment = await _client.CreateAsync(World.Deployment("router", 1));

        await new DeploymentController(_client, TimeProvider.System).ReconcileAsync(World.Ns, "router");

        Pod pod = (await _client.GetAsync<Pod>(World.Ns, "loose"))!;
        Assert.Equal(deployment.Metadata.Uid, PodInspection.ControllerOf(pod)?.Uid);
        Assert.Null((await _client.GetAsync<Pod>(World.Ns, "stranger"))!.Metadata.OwnerReferences);
        // Adopted, it counts: an old pod (no template hash) is surged past by one new pod, not by a whole replica set.
        List<Pod> owned = (await World.PodsAsync(_client)).Where(p => PodInspection.IsControlledBy(p, deployment)).ToList();
        Assert.Equal(2, owned.Count);
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app=web,tier=cache", true)]
    [InlineData("app=other", false)]
    [InlineData("", false)]
    public void Matches_MatchLabels(string selector, bool expected)
    {
        var matchLabels = selector.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(term => term.Split('='))
            .ToDictionary(kv => kv[0], kv => kv[1]);
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "cache" };

        Assert.Equal(expected, SelectorMatching.Matches(new LabelSelector { MatchLabels = matchLabels }, labels));
    }

    [Theory]
    [InlineData("In", new[] { "web", "x" }, true)]
    [InlineData("In", new[] { "x" }, false)]
    [InlineData("NotIn", new[] { "x" }, true)]
    [InlineData("NotIn", new[] { "web" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    [InlineData("Bogus", new string[0], false)]
    public void Matches_Expressions(string op, string[] values, bool expected)
    {
        var selector = new LabelSelector
        {
            MatchExpressions = [new LabelSelectorRequirement { Key = "app", Operator = op, Values = values }],
        };

        Assert.Equal(expected, SelectorMatching.Matches(selector, new Dictionary<string, string> { ["app"] = "web" }));
    }
}
