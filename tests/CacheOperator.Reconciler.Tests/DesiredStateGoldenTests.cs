using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CacheOperator.Kubernetes;
using CacheOperator.Reconciler.Desired;

namespace CacheOperator.Reconciler.Tests;

/// <summary>The desired objects of the examples, rendered as JSON and compared with testdata/*.json.</summary>
public class DesiredStateGoldenTests
{
    private const string Token = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private static readonly OperatorSettings Settings = new();

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Render(DesiredState desired)
    {
        var array = new JsonArray([.. desired.All().Select(o => JsonNode.Parse(KubernetesJson.Serialize((object)o)))]);
        return array.ToJsonString(Pretty);
    }

    [Fact]
    public void Minimal_FirstReconcile()
    {
        var desired = DesiredState.For(TestClusters.Example("cachecluster-minimal.yaml"), new ObservedState { Token = Token }, Settings);

        Golden.Assert("minimal", Render(desired));
    }

    [Fact]
    public void Minimal_OncePodsHaveIPs()
    {
        var cluster = TestClusters.Example("cachecluster-minimal.yaml");
        var first = DesiredState.For(cluster, new ObservedState { Token = Token }, Settings);
        var next = DesiredState.For(cluster, new ObservedState
        {
            Token = Token,
            RingJson = first.Ring.RingJson,
            MembersJson = first.Ring.MembersJson,
            PodIPs = new Dictionary<string, string> { ["demo-default-0"] = "10.244.1.7", ["demo-default-1"] = "10.244.2.9" },
        }, Settings);

        Golden.Assert("minimal-ring-with-ips", JsonNode.Parse(next.RingConfigMap.Data!["ring.json"])!.ToJsonString(Pretty));
    }

    [Fact]
    public void Full_FirstReconcile()
    {
        var desired = DesiredState.For(TestClusters.Example("cachecluster-full.yaml"), new ObservedState { Token = Token }, Settings);

        Golden.Assert("full", Render(desired));
    }
}
