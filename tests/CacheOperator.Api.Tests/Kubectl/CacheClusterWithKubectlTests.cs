using System.Text.Json.Nodes;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.CrdGen;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Api.Tests.Kubectl;

/// <summary>
/// The generated CRD and the examples as a user meets them: real kubectl against the sandbox API server, which
/// applies the schema's defaults and validation (not CEL) as a real server does.
/// </summary>
public sealed class CacheClusterWithKubectlTests : IAsyncLifetime
{
    private SandboxApiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions());
        _kubectl = new Kubectl(_server);
        var crd = await _kubectl.RunAsync("apply", "-f", RepositoryFiles.PathOf(Path.Combine("crds", CrdGenerator.FileName(typeof(CacheCluster)))));
        Assert.True(crd.ExitCode == 0, crd.Error);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task MinimalExample_IsStoredWithTheSchemaDefaults_AndReapplyingChangesNothing()
    {
        var example = RepositoryFiles.PathOf("examples/cachecluster-minimal.yaml");

        var created = await _kubectl.RunAsync("apply", "-f", example);
        var again = await _kubectl.RunAsync("apply", "-f", example);
        var get = await _kubectl.RunAsync("get", "cc", "demo", "-o", "json");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("cachecluster.cacheoperator.io/demo created", created.Output, StringComparison.Ordinal);
        Assert.Contains("cachecluster.cacheoperator.io/demo unchanged", again.Output, StringComparison.Ordinal);
        var spec = JsonNode.Parse(get.Output)!["spec"]!;
        Assert.Equal(2, (int)spec["shards"]!);
        Assert.Equal("64Mi", (string?)spec["memory"]);
        Assert.Equal("1Mi", (string?)spec["maxItemSize"]);
        Assert.Equal(2, (int)spec["router"]!["replicas"]!);
        Assert.Equal("random", (string?)spec["router"]!["readStrategy"]);
        Assert.Equal(0, (int)spec["router"]!["pollMicroseconds"]!);
        Assert.Equal(3, (int)spec["hotKeys"]!["copies"]!);
        Assert.Equal(30, (int)spec["failover"]!["notReadyThresholdSeconds"]!);
        Assert.True((bool)spec["security"]!["networkPolicy"]!["enabled"]!);
        Assert.False((bool)spec["security"]!["tls"]!["enabled"]!);
    }

    [Fact]
    public async Task FullExample_IsAcceptedWithStrictFieldValidation_AndKeepsPassThroughFields()
    {
        var created = await _kubectl.RunAsync("apply", "--validate=strict", "-f", RepositoryFiles.PathOf("examples/cachecluster-full.yaml"));
        var get = await _kubectl.RunAsync("get", "cachecluster", "sessions", "-o", "json");

        Assert.True(created.ExitCode == 0, created.Error);
        var spec = JsonNode.Parse(get.Output)!["spec"]!;
        Assert.Equal(["carts", "popular"], spec["pools"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal(1, (int)spec["pools"]![1]!["replicasPerShard"]!);
        Assert.Equal("NoSchedule", (string?)spec["scheduling"]!["tolerations"]![0]!["effect"]);
        Assert.Equal("sessions", (string?)spec["scheduling"]!["topologySpreadConstraints"]![0]!["labelSelector"]!["matchLabels"]!["app.kubernetes.io/instance"]);
        Assert.Equal(1, (int)spec["router"]!["resources"]!["limits"]!["cpu"]!);
    }

    [Fact]
    public async Task Scale_ChangesSpecShards_ThroughTheScaleSubresource()
    {
        Assert.Equal(0, (await _kubectl.RunAsync("apply", "-f", RepositoryFiles.PathOf("examples/cachecluster-minimal.yaml"))).ExitCode);

        var scale = await _kubectl.RunAsync("scale", "cachecluster/demo", "--replicas=5");
        var shards = await _kubectl.RunAsync("get", "cc", "demo", "-o", "jsonpath={.spec.shards}");

        Assert.True(scale.ExitCode == 0, scale.Error);
        Assert.Equal("5", shards.Output.Trim());
    }

    [Fact]
    public async Task Get_PrintsTheCrdsColumns()
    {
        Assert.Equal(0, (await _kubectl.RunAsync("apply", "-f", RepositoryFiles.PathOf("examples/cachecluster-minimal.yaml"))).ExitCode);

        var get = await _kubectl.RunAsync("get", "cc");

        Assert.True(get.ExitCode == 0, get.Error);
        var header = get.Output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "SHARDS", "READY", "RING", "PHASE", "AGE"], header);
        Assert.StartsWith("demo", get.Output.Split('\n')[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shards: 0", "spec.shards")]
    [InlineData("replicasPerShard: 9", "spec.replicasPerShard")]
    [InlineData("memory: lots", "spec.memory")]
    [InlineData("router: { readStrategy: fastest }", "spec.router.readStrategy")]
    [InlineData("pools: [ { name: Bad_Name, prefixes: [\"x:\"] } ]", "spec.pools[0].name")]
    public async Task InvalidSpec_IsRefusedByTheSchema_NamingTheField(string specLine, string field)
    {
        var apply = await ApplySpecAsync(specLine);

        Assert.NotEqual(0, apply.ExitCode);
        Assert.Contains(field, apply.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("router: { pollMicroseconds: -1 }", "should be greater than or equal to 0")]
    [InlineData("router: { pollMicroseconds: 1001 }", "should be less than or equal to 1000")]
    public async Task RouterPollTimeOutOfRange_IsRefused_WithTheBoundItBreaks(string specLine, string message)
    {
        var apply = await ApplySpecAsync(specLine);

        Assert.NotEqual(0, apply.ExitCode);
        Assert.Contains($"spec.router.pollMicroseconds in body {message}", apply.Error, StringComparison.Ordinal);
    }

    /// <summary>Applies a CacheCluster `bad` whose spec is the one YAML line given.</summary>
    private Task<(int ExitCode, string Output, string Error)> ApplySpecAsync(string specLine)
    {
        var manifest = _kubectl.WriteFile("bad.yaml", $"""
            apiVersion: cacheoperator.io/v1alpha1
            kind: CacheCluster
            metadata:
              name: bad
            spec:
              {specLine}
            """);
        return _kubectl.RunAsync("apply", "-f", manifest);
    }
}
