using System.Text.Json.Nodes;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Api.Validation;
using CacheOperator.Kubernetes;

namespace CacheOperator.Api.Tests;

public sealed class ExampleTests
{
    public static TheoryData<string> Examples =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("examples"), "cachecluster-*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Minimal_IsTheDemoClusterMakeRunApplies()
    {
        var cluster = Load("cachecluster-minimal.yaml");

        Assert.Equal("demo", cluster.Metadata.Name);
        Assert.Equal(2, cluster.Spec.Shards);
        Assert.Equal("64Mi", cluster.Spec.Memory);
        Assert.Equal(64L * 1024 * 1024, Quantity.ParseBytes(cluster.Spec.Memory));
        // Left out, so the C# defaults (equal to the schema's) apply.
        Assert.Equal(1, cluster.Spec.ReplicasPerShard);
        Assert.Equal(2, cluster.Spec.Router.Replicas);
        Assert.Empty(cluster.Spec.Pools);
    }

    [Fact]
    public void Full_ReadsEverySection()
    {
        var cluster = Load("cachecluster-full.yaml");
        var spec = cluster.Spec;

        Assert.Equal("sessions", cluster.Metadata.Name);
        Assert.Equal((3, 2, 1), (spec.Shards, spec.ReplicasPerShard, spec.Standbys));
        Assert.Equal(["carts", "popular"], spec.Pools.Select(p => p.Name));
        Assert.Equal(["popular:", "trending:"], spec.Pools[1].Prefixes);
        Assert.Equal((2, 3, "128Mi"), (spec.Pools[0].Shards, spec.Pools[0].ReplicasPerShard, spec.Pools[0].Memory));
        Assert.Null(spec.Pools[0].Standbys);
        Assert.Equal(0, spec.Pools[1].Standbys);
        Assert.Equal((1, 10), (spec.Gutter.Shards, spec.Gutter.TtlSeconds));
        Assert.Equal(ReadStrategies.LeastOutstanding, spec.Router.ReadStrategy);
        Assert.Equal("1", spec.Router.Resources!.Limits!["cpu"]);
        Assert.Equal("100m", spec.Router.Resources.Requests!["cpu"]);
        Assert.Equal((true, 500, 4, 5), (spec.HotKeys.Enabled, spec.HotKeys.ThresholdPerSecond, spec.HotKeys.Copies, spec.HotKeys.TtlSeconds));
        Assert.Equal(52428800L, spec.WarmUp.BytesPerSecond);
        Assert.Equal(20, spec.Failover.NotReadyThresholdSeconds);
        Assert.Equal("linux", spec.Scheduling.NodeSelector!["kubernetes.io/os"]);
        Assert.Equal("dedicated", (string?)spec.Scheduling.Tolerations![0]["key"]);
        Assert.Equal(1, (int)spec.Scheduling.TopologySpreadConstraints![0]["maxSkew"]!);
        Assert.Equal(PodAntiAffinityModes.Required, spec.Scheduling.PodAntiAffinity);
        Assert.True(spec.Security.NetworkPolicy.Enabled);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_PassesTheValidator(string file)
    {
        var errors = CacheClusterValidator.Validate(Load(file).Spec);

        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_UsesOnlyFieldsTheSchemaKnows(string file)
    {
        // A real API server asked for strict field validation (kubectl's default) refuses unknown fields.
        var document = YamlJson.Read(File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("examples", file))))!;
        var unknown = new List<string>();

        CheckKnown(document["spec"]!, CrdSchemaTests.Field(".spec"), "spec", unknown);

        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_SurvivesAJsonRoundTrip(string file)
    {
        var cluster = Load(file);

        var json = KubernetesJson.Serialize(cluster);
        var again = KubernetesJson.Deserialize<CacheCluster>(json)!;

        Assert.Equal(json, KubernetesJson.Serialize(again));
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.Contains("\"apiVersion\":\"cacheoperator.io/v1alpha1\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void NewCacheCluster_CarriesItsApiVersionAndKind()
    {
        var cluster = new CacheCluster();

        Assert.Equal("cacheoperator.io/v1alpha1", cluster.ApiVersion);
        Assert.Equal("CacheCluster", cluster.Kind);
    }

    [Fact]
    public void Deserialize_KeepsFieldsThisVersionDoesNotKnow()
    {
        const string json = """{"apiVersion":"cacheoperator.io/v1alpha1","kind":"CacheCluster","metadata":{"name":"x"},"spec":{"shards":4},"futureField":{"a":1}}""";

        var cluster = KubernetesJson.Deserialize<CacheCluster>(json)!;

        Assert.Equal(4, cluster.Spec.Shards);
        Assert.Contains("\"futureField\":{\"a\":1}", KubernetesJson.Serialize(cluster), StringComparison.Ordinal);
    }

    private static CacheCluster Load(string file)
    {
        var yaml = File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("examples", file)));
        var json = YamlJson.Read(yaml)!.ToJsonString();
        var cluster = KubernetesJson.Deserialize<CacheCluster>(json)!;
        Assert.Equal("CacheCluster", cluster.Kind);
        return cluster;
    }

    private static void CheckKnown(JsonNode value, JsonObject schema, string path, List<string> unknown)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"] is not null)
            return;
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, child) in obj)
                {
                    if (properties[name] is JsonObject field)
                        CheckKnown(child!, field, $"{path}.{name}", unknown);
                    else
                        unknown.Add($"{path}.{name}");
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (int i = 0; i < array.Count; i++)
                    CheckKnown(array[i]!, items, $"{path}[{i}]", unknown);
                break;
        }
    }
}
