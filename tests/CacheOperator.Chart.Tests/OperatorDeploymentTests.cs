using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

public sealed class OperatorDeploymentTests(HelmCli helm) : IClassFixture<HelmCli>
{
    private static readonly Lazy<string> AppVersion = new(() =>
    {
        var chart = Assert.IsType<JsonObject>(Assert.Single(YamlToJson.Documents(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml")))));
        return (string?)chart["appVersion"] ?? throw new InvalidOperationException("Chart.yaml has no appVersion");
    });

    [Fact]
    public void Defaults_RunTwoLeaderElectedReplicas()
    {
        var deployment = helm.Render().Single("Deployment");

        Assert.Equal(2, (long?)deployment["spec"]?["replicas"]);
        var args = Args(deployment);
        Assert.Contains("--leader-elect=true", args);
        Assert.Contains($"--leader-election-namespace={HelmCli.ReleaseNamespace}", args);
    }

    [Fact]
    public void Defaults_PassMetricsPortAndCacheNodeImageOfTheAppVersion_AndWatchEveryNamespace()
    {
        var deployment = helm.Render().Single("Deployment");

        var args = Args(deployment);
        Assert.Contains("--metrics-port=8080", args);
        Assert.Contains($"--cache-node-image=ghcr.io/cacheoperator/cache-node:{AppVersion.Value}", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--watch-namespace", StringComparison.Ordinal));
        Assert.Equal($"ghcr.io/cacheoperator/operator:{AppVersion.Value}", (string?)Container(deployment)["image"]);
    }

    [Fact]
    public void Pods_GetTheirNameAndNamespaceFromTheDownwardApi()
    {
        var env = Container(helm.Render().Single("Deployment"))["env"]!.AsArray();

        Assert.Equal("metadata.name", (string?)Assert.Single(env, e => (string?)e?["name"] == "POD_NAME")?["valueFrom"]?["fieldRef"]?["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)Assert.Single(env, e => (string?)e?["name"] == "POD_NAMESPACE")?["valueFrom"]?["fieldRef"]?["fieldPath"]);
    }

    [Fact]
    public void Overrides_ReachImagesArgsAndVersionLabel()
    {
        var deployment = helm.Render(
            "--set", "image.tag=1.2.3,cacheNode.image.repository=registry.local/cache-node,cacheNode.image.tag=4.5.6",
            "--set", "watchNamespace=apps,metrics.port=9090,replicaCount=3").Single("Deployment");

        var container = Container(deployment);
        Assert.Equal("ghcr.io/cacheoperator/operator:1.2.3", (string?)container["image"]);
        var args = Args(deployment);
        Assert.Contains("--cache-node-image=registry.local/cache-node:4.5.6", args);
        Assert.Contains("--watch-namespace=apps", args);
        Assert.Contains("--metrics-port=9090", args);
        Assert.Equal(9090, (long?)container["ports"]?[0]?["containerPort"]);
        Assert.Equal(3, (long?)deployment["spec"]?["replicas"]);
        Assert.Equal("1.2.3", (string?)deployment["metadata"]?["labels"]?["app.kubernetes.io/version"]);
    }

    [Fact]
    public void SchedulingValues_ReachThePodSpec()
    {
        var spec = helm.Render(
            "--set", "nodeSelector.disktype=ssd,priorityClassName=system-cluster-critical",
            "--set", "tolerations[0].key=dedicated,tolerations[0].operator=Exists,tolerations[0].effect=NoSchedule",
            "--set", "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key=zone",
            "--set", "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator=Exists")
            .Single("Deployment")["spec"]!["template"]!["spec"]!;

        Assert.Equal("ssd", (string?)spec["nodeSelector"]?["disktype"]);
        Assert.Equal("dedicated", (string?)spec["tolerations"]?[0]?["key"]);
        Assert.Equal("zone", (string?)spec["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]?[0]?["matchExpressions"]?[0]?["key"]);
        Assert.Equal("system-cluster-critical", (string?)spec["priorityClassName"]);
        Assert.Null(spec["affinity"]?["podAntiAffinity"]);
    }

    [Fact]
    public void Defaults_SpreadTheReplicasOverNodes()
    {
        var deployment = helm.Render().Single("Deployment");

        var term = deployment["spec"]!["template"]!["spec"]!["affinity"]?["podAntiAffinity"]?["preferredDuringSchedulingIgnoredDuringExecution"]?[0]?["podAffinityTerm"];
        Assert.Equal("kubernetes.io/hostname", (string?)term?["topologyKey"]);
        Assert.Equal(
            deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(),
            term?["labelSelector"]?["matchLabels"]?.ToJsonString());
    }

    [Fact]
    public void LeaderElectionOff_WithOneReplica_RendersWithoutLeaseRights()
    {
        var chart = helm.Render("--set", "leaderElection.enabled=false,replicaCount=1");

        var args = Args(chart.Single("Deployment"));
        Assert.Contains("--leader-elect=false", args);
        Assert.DoesNotContain(chart.OfKind("Role"), r => RbacRules.Flatten(r).Overlaps(RbacRules.LeaderElection));
    }

    [Fact]
    public void LeaderElectionOff_WithTwoReplicas_IsRefused()
    {
        var result = helm.Template("--set", "leaderElection.enabled=false");

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("leaderElection.enabled", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsService_SelectsTheOperatorPodsOnTheMetricsPort()
    {
        var chart = helm.Render();
        var deployment = chart.Single("Deployment");
        var service = chart.Single("Service");

        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selector = service["spec"]!["selector"]!.AsObject();
        Assert.NotEmpty(selector);
        Assert.All(selector, s => Assert.Equal((string?)s.Value, (string?)podLabels[s.Key]));
        Assert.All(deployment["spec"]!["selector"]!["matchLabels"]!.AsObject(), s => Assert.Equal((string?)s.Value, (string?)podLabels[s.Key]));

        var port = Assert.Single(service["spec"]!["ports"]!.AsArray());
        Assert.Equal("metrics", (string?)port?["name"]);
        var containerPort = Assert.Single(Container(deployment)["ports"]!.AsArray(), p => p?["name"]?.ToString() == port?["targetPort"]?.ToString());
        Assert.Equal(8080, (long?)containerPort?["containerPort"]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryObject_CarriesTheStandardLabels_AndNamespacedOnesLiveInTheRelease(string setValues)
    {
        var chart = helm.Render(ChartValues.Set(setValues));

        foreach (var obj in chart.Objects)
        {
            var what = $"{RenderedChart.Kind(obj)}/{RenderedChart.Name(obj)}";
            var labels = obj["metadata"]?["labels"];
            Assert.True(labels is not null, $"{what} has no labels");
            Assert.Equal("cache-operator", (string?)labels["app.kubernetes.io/name"]);
            Assert.Equal(HelmCli.ReleaseName, (string?)labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", (string?)labels["app.kubernetes.io/managed-by"]);
            Assert.False(string.IsNullOrEmpty((string?)labels["app.kubernetes.io/version"]), $"{what}: version label");
            Assert.StartsWith("cache-operator-", (string?)labels["helm.sh/chart"], StringComparison.Ordinal);

            var ns = RenderedChart.Namespace(obj);
            if (RenderedChart.Kind(obj) is "ClusterRole" or "ClusterRoleBinding")
            {
                Assert.Null(ns);
            }
            else if (ns != HelmCli.ReleaseNamespace)
            {
                // Only the rights in the watched namespace live outside the release.
                Assert.Equal("apps", ns);
                Assert.Contains(RenderedChart.Kind(obj), new[] { "Role", "RoleBinding" });
            }
        }
    }

    public static TheoryData<string> Variants => ChartValues.Variants;

    private static JsonObject Container(JsonObject deployment) =>
        Assert.IsType<JsonObject>(Assert.Single(deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray()));

    private static List<string> Args(JsonObject deployment) =>
        [.. (Container(deployment)["args"]?.AsArray() ?? []).Select(a => (string?)a ?? "")];
}
