using System.Diagnostics;

namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>Real kubectl (the v1.32 dispatcher) against the sandbox: the judge of faithfulness.</summary>
public sealed class KubectlTests : ToolTestBase
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: example.invalid/web:1
                env:
                - {name: MODE, value: one}
              - name: sidecar
                image: example.invalid/sidecar:1
        """;

    [Fact]
    public async Task ApplyConfigMap_Twice_CreatesThenConfigures_AndGetYamlShowsIt()
    {
        var first = Manifest("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n");
        var created = await KubectlOkAsync("apply", "-f", first);
        var second = Manifest("cm2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: safe\n");
        var configured = await KubectlOkAsync("apply", "-f", second);
        var yaml = await KubectlOkAsync("get", "configmap", "settings", "-o", "yaml");

        Assert.Contains("configmap/settings created", created.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("configmap/settings configured", configured.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mode: safe", yaml.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", yaml.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyDeployment_WithChange_UsesStrategicMergePatch_AndKeepsOtherContainers()
    {
        await KubectlOkAsync("apply", "-f", Manifest("d1.yaml", Deployment));
        var changed = Deployment.Replace("web:1", "web:2", StringComparison.Ordinal).Replace("value: one", "value: two", StringComparison.Ordinal);

        var apply = await KubectlOkAsync("apply", "-f", Manifest("d2.yaml", changed));
        var images = await KubectlOkAsync("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[*].image} {.spec.template.spec.containers[0].env[0].value} {.metadata.generation}");

        Assert.Contains("deployment.apps/web configured", apply.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("strategic-merge-patch+json", apply.StandardError, StringComparison.Ordinal);
        Assert.Equal("example.invalid/web:2 example.invalid/sidecar:1 two 2", images.StandardOutput.Trim());
    }

    [Fact]
    public async Task ServerSideApply_CreatesThenUpdates()
    {
        var path = Manifest("d.yaml", Deployment);

        var created = await KubectlOkAsync("apply", "--server-side", "-f", path);
        var changed = Manifest("d2.yaml", Deployment.Replace("replicas: 2", "replicas: 4", StringComparison.Ordinal));
        var updated = await KubectlOkAsync("apply", "--server-side", "-f", changed);
        var replicas = await KubectlOkAsync("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}");

        Assert.Contains("deployment.apps/web serverside-applied", created.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("serverside-applied", updated.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("4", replicas.StandardOutput.Trim());
    }

    [Fact]
    public async Task GetWatch_PrintsExistingObjectsThenNewOnes()
    {
        await CreateConfigMapAsync("before");
        using var process = Tools.StartKubectl("get", "configmaps", "-w", "-o", "name");
        try
        {
            var first = await ReadLineAsync(process);
            await CreateConfigMapAsync("after");
            var second = await ReadLineAsync(process);

            Assert.Equal("configmap/before", first);
            Assert.Equal("configmap/after", second);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Describe_Deployment_ShowsItsFields()
    {
        await KubectlOkAsync("apply", "-f", Manifest("d.yaml", Deployment));

        var describe = await KubectlOkAsync("describe", "deployment", "web");

        Assert.Contains("Name:", describe.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("example.invalid/web:1", describe.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Selector:           app=web", describe.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEvents_ShowsWhatHappenedToWhichObject_AsTheRealServerPrintsIt()
    {
        var seen = DateTime.UtcNow.AddSeconds(-30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await KubectlOkAsync("apply", "-f", Manifest("event.yaml", $$"""
            apiVersion: v1
            kind: Event
            metadata: {name: demo.1}
            involvedObject: {apiVersion: cacheoperator.io/v1alpha1, kind: CacheCluster, name: demo, namespace: default}
            reason: ScaleOutComplete
            type: Normal
            message: shards 2 -> 3 done
            source: {component: cache-operator}
            firstTimestamp: "{{seen}}"
            lastTimestamp: "{{seen}}"
            count: 2
            """));

        var table = (await KubectlOkAsync("get", "events")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wide = (await KubectlOkAsync("get", "events", "-o", "wide")).StandardOutput;

        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", table[0]);
        Assert.Matches(@"^[3-9]\ds\s+Normal\s+ScaleOutComplete\s+cachecluster/demo\s+shards 2 -> 3 done$", table[1]);
        Assert.Contains("cache-operator", wide, StringComparison.Ordinal);
        Assert.Contains("demo.1", wide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScaleDeployment_ChangesReplicas()
    {
        await KubectlOkAsync("apply", "-f", Manifest("d.yaml", Deployment));

        var scale = await KubectlOkAsync("scale", "deployment", "web", "--replicas=5");
        var replicas = await KubectlOkAsync("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}");

        Assert.Contains("deployment.apps/web scaled", scale.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("5", replicas.StandardOutput.Trim());
    }

    [Fact]
    public async Task Patch_StrategicMergeAndJson()
    {
        await KubectlOkAsync("apply", "-f", Manifest("d.yaml", Deployment));

        await KubectlOkAsync("patch", "deployment", "web", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"example.invalid/sidecar:2"}]}}}}""");
        await KubectlOkAsync("patch", "deployment", "web", "--type=json", "-p", """[{"op":"replace","path":"/spec/replicas","value":3}]""");
        var result = await KubectlOkAsync("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[*].image} {.spec.replicas}");

        Assert.Equal("example.invalid/web:1 example.invalid/sidecar:2 3", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Delete_RemovesTheObject()
    {
        await CreateConfigMapAsync("doomed");

        var delete = await KubectlOkAsync("delete", "configmap", "doomed");
        var get = await Tools.KubectlAsync("get", "configmap", "doomed");

        Assert.Contains("configmap \"doomed\" deleted", delete.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("NotFound", get.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceWithStaleObject_IsConflict()
    {
        await CreateConfigMapAsync("c");
        var stale = await KubectlOkAsync("get", "configmap", "c", "-o", "yaml");
        var path = Manifest("stale.yaml", stale.StandardOutput);
        await KubectlOkAsync("label", "configmap", "c", "changed=yes");

        var replace = await Tools.KubectlAsync("replace", "-f", path);

        Assert.NotEqual(0, replace.ExitCode);
        Assert.Contains("Error from server (Conflict)", replace.StandardError, StringComparison.Ordinal);
        Assert.Contains("the object has been modified", replace.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingAnOwner_GarbageCollectsTheOwnedConfigMap()
    {
        var owner = await CreateConfigMapAsync("owner");
        var uid = owner["metadata"]!["uid"]!.GetValue<string>();
        await KubectlOkAsync("apply", "-f", Manifest("owned.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: owned
              ownerReferences:
              - apiVersion: v1
                kind: ConfigMap
                name: owner
                uid: {uid}
            """));

        await KubectlOkAsync("delete", "configmap", "owner");

        ToolResult? get = null;
        for (var i = 0; i < 50; i++)
        {
            get = await Tools.KubectlAsync("get", "configmap", "owned", "--ignore-not-found", "-o", "name");
            if (get.ExitCode == 0 && get.StandardOutput.Trim().Length == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(get is { ExitCode: 0 } && get.StandardOutput.Trim().Length == 0, get?.ToString());
    }

    [Fact]
    public async Task CreateNamespace_FromTypedClient_Works()
    {
        var create = await KubectlOkAsync("create", "namespace", "team");
        var get = await KubectlOkAsync("get", "ns", "team", "-o", "jsonpath={.status.phase}");

        Assert.Contains("namespace/team created", create.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("Active", get.StandardOutput.Trim());
    }

    private static async Task<string?> ReadLineAsync(Process process)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await process.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return $"[no line within 30s; stderr: {await ReadAvailableAsync(process.StandardError)}]";
        }
    }

    private static async Task<string> ReadAvailableAsync(StreamReader reader)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var buffer = new char[65536];
        try
        {
            var read = await reader.ReadAsync(buffer, cts.Token);
            return new string(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return "";
        }
    }
}
