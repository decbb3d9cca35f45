using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public class ContainerEnvironmentTests
{
    private static readonly DictionaryObjectSource Objects = CreateObjects();

    private static DictionaryObjectSource CreateObjects()
    {
        var objects = new DictionaryObjectSource();
        objects.Add(TestPods.ConfigMap("ns1", "settings", new() { ["MODE"] = "fast", ["LEVEL"] = "3" }));
        objects.Add(TestPods.Secret("ns1", "token", new() { ["token"] = "s3cret" }));
        return objects;
    }

    private const string PodJson = """
        {"metadata":{"name":"cache-0","namespace":"ns1","uid":"u-1","labels":{"app":"c"}},
         "spec":{"nodeName":"sandbox-node","serviceAccountName":"sa","containers":[{"name":"c","image":"cache-node",
           "envFrom":[{"configMapRef":{"name":"settings"},"prefix":"CFG_"},{"configMapRef":{"name":"absent","optional":true}}],
           "env":[
             {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
             {"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
             {"name":"POD_UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
             {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
             {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
             {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
             {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
             {"name":"TOKEN","valueFrom":{"secretKeyRef":{"name":"token","key":"token"}}},
             {"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"settings","key":"LEVEL"}}},
             {"name":"MISSING","valueFrom":{"configMapKeyRef":{"name":"settings","key":"nope","optional":true}}},
             {"name":"ADDR","value":"$(POD_IP):11211"},
             {"name":"LATER","value":"$(DEFINED_AFTER)"},
             {"name":"DEFINED_AFTER","value":"x"},
             {"name":"ESCAPED","value":"$$(POD_IP)"}
           ]}]}}
        """;

    [Fact]
    public void Build_ResolvesEverySourceAndExpandsInOrder()
    {
        var pod = TestPods.Parse(PodJson);
        var env = ContainerEnvironment.Build(pod, pod.Spec.Containers[0], "127.1.0.5", "127.0.0.1", Objects);

        Assert.Equal("fast", env["CFG_MODE"]);
        Assert.Equal("cache-0", env["POD_NAME"]);
        Assert.Equal("ns1", env["POD_NAMESPACE"]);
        Assert.Equal("u-1", env["POD_UID"]);
        Assert.Equal("127.1.0.5", env["POD_IP"]);
        Assert.Equal("sandbox-node", env["NODE"]);
        Assert.Equal("sa", env["SA"]);
        Assert.Equal("c", env["APP"]);
        Assert.Equal("s3cret", env["TOKEN"]);
        Assert.Equal("3", env["LEVEL"]);
        Assert.False(env.ContainsKey("MISSING"));
        Assert.Equal("127.1.0.5:11211", env["ADDR"]);
        Assert.Equal("$(DEFINED_AFTER)", env["LATER"]);
        Assert.Equal("$(POD_IP)", env["ESCAPED"]);
    }

    [Theory]
    [InlineData("""{"name":"X","valueFrom":{"secretKeyRef":{"name":"absent","key":"k"}}}""", "secret \"absent\" not found")]
    [InlineData("""{"name":"X","valueFrom":{"configMapKeyRef":{"name":"settings","key":"nope"}}}""", "couldn't find key nope in ConfigMap ns1/settings")]
    [InlineData("""{"name":"X","valueFrom":{"configMapKeyRef":{"name":"absent","key":"k"}}}""", "configmap \"absent\" not found")]
    public void Build_MissingRequiredSource_IsAConfigError(string envVar, string message)
    {
        var pod = TestPods.Parse($$$"""{"metadata":{"name":"p","namespace":"ns1"},"spec":{"containers":[{"name":"c","env":[{{{envVar}}}]}]}}""");
        var error = Assert.Throws<ContainerConfigException>(() =>
            ContainerEnvironment.Build(pod, pod.Spec.Containers[0], "127.1.0.5", "127.0.0.1", Objects));
        Assert.Equal(message, error.Message);
    }
}
