using System.Text.Json.Nodes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes.Tests;

public class ModelSerializationTests
{
    // A pod as a real API server returns it, with fields this client does not model at several depths.
    private const string PodJson = """
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
            "name": "web-0", "namespace": "default", "uid": "u-1", "resourceVersion": "42",
            "creationTimestamp": "2026-01-02T15:04:05Z",
            "managedFields": [{"manager": "kubectl", "operation": "Apply"}],
            "labels": {"app": "web"}
          },
          "spec": {
            "containers": [{
              "name": "c", "image": "img:1", "terminationMessagePath": "/dev/termination-log",
              "ports": [{"containerPort": 11211, "name": "memcache", "protocol": "TCP"}],
              "readinessProbe": {"httpGet": {"path": "/healthz", "port": "admin"}, "periodSeconds": 5},
              "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "claims": [{"name": "gpu"}]}
            }],
            "volumes": [{"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}],
            "dnsPolicy": "ClusterFirst",
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}}
          },
          "status": {
            "phase": "Running", "podIP": "10.0.0.5", "qosClass": "Burstable",
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null,
                            "lastTransitionTime": "2026-01-02T15:04:06Z"}],
            "containerStatuses": [{"name": "c", "ready": true, "restartCount": 2,
                                   "state": {"running": {"startedAt": "2026-01-02T15:04:06Z"}}}]
          },
          "someFutureField": {"x": [1, 2, 3]}
        }
        """;

    [Fact]
    public void Pod_WithUnknownFields_RoundTripsUnchanged()
    {
        var pod = KubernetesJson.Deserialize<Pod>(PodJson)!;
        string written = KubernetesJson.Serialize(pod);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(PodJson), JsonNode.Parse(written)), written);
    }

    [Fact]
    public void Pod_TypedFields_AreRead()
    {
        var pod = KubernetesJson.Deserialize<Pod>(PodJson)!;

        Assert.Equal("web-0", pod.Metadata.Name);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 15, 4, 5, TimeSpan.Zero), pod.Metadata.CreationTimestamp);
        var c = Assert.Single(pod.Spec.Containers);
        Assert.Equal(11211, Assert.Single(c.Ports!).Port);
        Assert.Equal("admin", c.ReadinessProbe!.HttpGet!.Port.StringValue);
        Assert.Equal("64Mi", c.Resources!.Requests!["memory"]);
        Assert.Equal("Running", pod.Status!.Phase);
        Assert.Equal("True", Assert.Single(pod.Status.Conditions!).Status);
        Assert.Equal(2, pod.Status.ContainerStatuses![0].RestartCount);
        Assert.NotNull(pod.Status.ContainerStatuses[0].State!.Running);
    }

    [Fact]
    public void Nulls_AreNotWritten()
    {
        var cm = new ConfigMap { Metadata = { Name = "ring" }, Data = new Dictionary<string, string> { ["k"] = "v" } };

        string json = KubernetesJson.Serialize(cm);

        Assert.Equal("""{"metadata":{"name":"ring"},"data":{"k":"v"}}""", json);
    }

    [Fact]
    public void Time_IsWrittenInUtcWithWholeSeconds()
    {
        var meta = new ObjectMeta { CreationTimestamp = new DateTimeOffset(2026, 1, 2, 17, 4, 5, 123, TimeSpan.FromHours(2)) };

        Assert.Equal("""{"creationTimestamp":"2026-01-02T15:04:05Z"}""", KubernetesJson.Serialize(meta));
    }

    [Fact]
    public void LeaseTimes_AreMicroTime()
    {
        var t = new DateTimeOffset(2026, 1, 2, 15, 4, 5, TimeSpan.Zero).AddTicks(1234560);
        var lease = new Lease { Spec = { HolderIdentity = "a", RenewTime = t, AcquireTime = t } };

        var node = JsonNode.Parse(KubernetesJson.Serialize(lease))!;

        Assert.Equal("2026-01-02T15:04:05.123456Z", (string?)node["spec"]!["renewTime"]);
        Assert.Equal(t, KubernetesJson.Deserialize<Lease>(node.ToJsonString())!.Spec.RenewTime);
    }

    [Theory]
    [InlineData("""{"port":8080}""", false, "8080")]
    [InlineData("""{"port":"http"}""", true, "http")]
    public void IntOrString_RoundTripsNumberOrName(string json, bool isString, string text)
    {
        var port = KubernetesJson.Deserialize<TcpSocketAction>(json)!;

        Assert.Equal(isString, port.Port.IsString);
        Assert.Equal(text, port.Port.ToString());
        Assert.Equal(json, KubernetesJson.Serialize(port));
    }

    [Fact]
    public void SecretData_IsBase64OnTheWire()
    {
        var secret = KubernetesJson.Deserialize<Secret>("""{"data":{"token":"c2VjcmV0"}}""")!;

        Assert.Equal("secret"u8.ToArray(), secret.Data!["token"]);
        Assert.Equal("""{"metadata":{},"data":{"token":"c2VjcmV0"}}""", KubernetesJson.Serialize(secret));
    }

    [Fact]
    public void StatefulSet_ReadsSpecAndStatus()
    {
        var sts = KubernetesJson.Deserialize<StatefulSet>("""
            {"spec":{"replicas":3,"selector":{"matchLabels":{"a":"b"}},"serviceName":"s",
                     "template":{"spec":{"containers":[{"name":"c"}]}},
                     "volumeClaimTemplates":[{"metadata":{"name":"data"}}]},
             "status":{"replicas":3,"readyReplicas":2,"observedGeneration":4}}
            """)!;

        Assert.Equal(3, sts.Spec.Replicas);
        Assert.Equal("b", sts.Spec.Selector.MatchLabels!["a"]);
        Assert.Equal(2, sts.Status!.ReadyReplicas);
        Assert.True(sts.Spec.AdditionalProperties!.ContainsKey("volumeClaimTemplates"));
    }

    [Fact]
    public void ResourceInfo_ComesFromTheAttribute()
    {
        var info = KubernetesResource.Of<StatefulSet>();

        Assert.Equal("apps/v1", info.ApiVersion);
        Assert.Equal("statefulsets", info.Plural);
        Assert.False(KubernetesResource.Of<Namespace>().Namespaced);
    }

    [Fact]
    public void Quantities_SentAsNumbers_AreReadAsTheirText()
    {
        var resources = KubernetesJson.Deserialize<ResourceRequirements>("""{"requests":{"cpu":1,"memory":"64Mi"},"limits":{"cpu":0.5}}""")!;

        Assert.Equal("1", resources.Requests!["cpu"]);
        Assert.Equal("0.5", resources.Limits!["cpu"]);
        Assert.Equal("""{"requests":{"cpu":"1","memory":"64Mi"},"limits":{"cpu":"0.5"}}""", KubernetesJson.Serialize(resources));
    }
}
