using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public sealed class VolumeMaterializerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-vol-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string PodJson = """
        {"metadata":{"name":"p","namespace":"ns1","uid":"u"},
         "spec":{"containers":[{"name":"c"}],"volumes":[
           {"name":"ring","configMap":{"name":"ring"}},
           {"name":"picked","configMap":{"name":"ring","items":[{"key":"ring.json","path":"sub/r.json"}]}},
           {"name":"token","secret":{"secretName":"token"}},
           {"name":"scratch","emptyDir":{}},
           {"name":"optional","configMap":{"name":"absent","optional":true}},
           {"name":"sa","projected":{"sources":[
             {"serviceAccountToken":{"path":"token"}},
             {"configMap":{"name":"ring","items":[{"key":"ring.json","path":"ring.json"}]}},
             {"secret":{"name":"token"}},
             {"downwardAPI":{"items":[{"path":"name","fieldRef":{"fieldPath":"metadata.name"}}]}}]}}]}}
        """;

    [Fact]
    public void Sync_WritesEveryVolumeKindAndFollowsChanges()
    {
        var objects = new DictionaryObjectSource();
        objects.Add(TestPods.ConfigMap("ns1", "ring", new() { ["ring.json"] = "{\"version\":1}", ["other"] = "o" }));
        objects.Add(TestPods.Secret("ns1", "token", new() { ["cluster-token"] = "abc" }));
        var pod = TestPods.Parse(PodJson);

        var volumes = VolumeMaterializer.Sync(pod, _dir, "127.1.0.1", "127.0.0.1", objects);

        Assert.Equal("{\"version\":1}", File.ReadAllText(Path.Combine(volumes["ring"], "ring.json")));
        Assert.Equal("o", File.ReadAllText(Path.Combine(volumes["ring"], "other")));
        Assert.Equal("{\"version\":1}", File.ReadAllText(Path.Combine(volumes["picked"], "sub", "r.json")));
        Assert.False(File.Exists(Path.Combine(volumes["picked"], "other")));
        Assert.Equal("abc", File.ReadAllText(Path.Combine(volumes["token"], "cluster-token")));
        Assert.True(Directory.Exists(volumes["scratch"]));
        Assert.Empty(Directory.GetFiles(volumes["optional"]));
        Assert.Equal(VolumeMaterializer.DummyToken, File.ReadAllText(Path.Combine(volumes["sa"], "token")));
        Assert.Equal("abc", File.ReadAllText(Path.Combine(volumes["sa"], "cluster-token")));
        Assert.Equal("p", File.ReadAllText(Path.Combine(volumes["sa"], "name")));

        File.WriteAllText(Path.Combine(volumes["scratch"], "kept"), "x");
        objects.Add(TestPods.ConfigMap("ns1", "ring", new() { ["ring.json"] = "{\"version\":2}" }));
        VolumeMaterializer.Sync(pod, _dir, "127.1.0.1", "127.0.0.1", objects);

        Assert.Equal("{\"version\":2}", File.ReadAllText(Path.Combine(volumes["ring"], "ring.json")));
        Assert.False(File.Exists(Path.Combine(volumes["ring"], "other")));
        Assert.True(File.Exists(Path.Combine(volumes["scratch"], "kept")));
        Assert.Empty(Directory.GetFiles(volumes["ring"], "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Sync_RequiredConfigMapMissing_IsAConfigError()
    {
        var pod = TestPods.Parse("""{"metadata":{"name":"p","namespace":"ns1"},"spec":{"containers":[],"volumes":[{"name":"v","configMap":{"name":"gone"}}]}}""");
        var error = Assert.Throws<ContainerConfigException>(() =>
            VolumeMaterializer.Sync(pod, _dir, "127.1.0.1", "127.0.0.1", new DictionaryObjectSource()));
        Assert.Equal("configmap \"gone\" not found", error.Message);
    }

    [Fact]
    public void WriteIfChanged_SameContent_DoesNotRewrite()
    {
        var path = Path.Combine(_dir, "f");
        Assert.True(AtomicFile.WriteIfChanged(path, "a"u8));
        Assert.False(AtomicFile.WriteIfChanged(path, "a"u8));
        Assert.True(AtomicFile.WriteIfChanged(path, "b"u8));
        Assert.Equal("b", File.ReadAllText(path));
    }
}
