using System.Net;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class ServerTests : ServerTestBase
{
    [Fact]
    public async Task Version_Is132()
    {
        var response = await GetAsync("/version");

        Assert.Equal("1", response.Str("major"));
        Assert.Equal("32", response.Str("minor"));
        Assert.Equal("v1.32.4", response.Str("gitVersion"));
    }

    [Fact]
    public async Task Discovery_IsAggregatedOnlyWhenAsked()
    {
        const string aggregatedAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept", aggregatedAccept);
        using var aggregated = await Http.SendAsync(request);
        var classic = await GetAsync("/apis");

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", aggregated.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("APIGroupList", classic.Str("kind"));
        Assert.Contains(classic.Object["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "apps");
    }

    [Fact]
    public async Task CoreDiscovery_HasShortNamesScopesAndSubresources()
    {
        var core = await GetAsync("/api/v1");
        var apps = await GetAsync("/apis/apps/v1");

        var pods = core.Object["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "pods")!;
        Assert.Equal("""["po"]""", pods["shortNames"]!.ToJsonString());
        Assert.True(pods["namespaced"]!.GetValue<bool>());
        var namespaces = core.Object["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "namespaces")!;
        Assert.False(namespaces["namespaced"]!.GetValue<bool>());
        var scale = apps.Object["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "statefulsets/scale")!;
        Assert.Equal("autoscaling", scale["group"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("pods", "po")]
    [InlineData("services", "svc")]
    [InlineData("configmaps", "cm")]
    [InlineData("namespaces", "ns")]
    [InlineData("serviceaccounts", "sa")]
    [InlineData("events", "ev")]
    public async Task CoreResources_HaveTheirShortNames(string plural, string shortName)
    {
        var core = await GetAsync("/api/v1");

        var resource = core.Object["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == plural)!;
        Assert.Contains(shortName, resource["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task OpenApiV3_ListsGroupVersions_WithFieldValidationOnPatch_AndV2IsNotFound()
    {
        var root = await GetAsync("/openapi/v3");
        var url = root.Object["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var document = await GetAsync(url);
        var v2 = await GetAsync("/openapi/v2");

        var patch = document.Object["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
        Assert.Equal(HttpStatusCode.NotFound, v2.Status);
    }

    [Fact]
    public async Task UnknownResource_IsNotFoundStatus()
    {
        var response = await GetAsync("/apis/apps/v1/namespaces/default/daemonsets");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Status", response.Str("kind"));
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        var response = await GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ok", response.Text);
    }

    [Fact]
    public async Task Kubeconfig_PointsAtTheServer_WithContextSandbox()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            Server.WriteKubeconfig(path, "team");

            var text = await File.ReadAllTextAsync(path);
            Assert.Contains($"server: {Server.BaseAddress.GetLeftPart(UriPartial.Authority)}", text, StringComparison.Ordinal);
            Assert.Contains("current-context: sandbox", text, StringComparison.Ordinal);
            Assert.Contains("namespace: team", text, StringComparison.Ordinal);
            Assert.StartsWith("http://127.0.0.1:", Server.BaseAddress.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Protobuf_SecretFromATypedClient_IsDecoded()
    {
        // A Secret as client-go encodes it: the k8s envelope, TypeMeta, then the Secret message.
        var secret = Message(
            (1, Message((1, Text("release-1")), (11, Message((1, Text("owner")), (2, Text("helm")))))),
            (2, Message((1, Text("release")), (2, [1, 2, 3]))),
            (3, Text("helm.sh/release.v1")));
        var body = new List<byte> { 0x6b, 0x38, 0x73, 0x00 };
        body.AddRange(Message((1, Message((1, Text("v1")), (2, Text("Secret")))), (2, secret), (3, []), (4, [])));
        using var content = new ByteArrayContent([.. body]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await Http.PostAsync("/api/v1/namespaces/default/secrets", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await GetAsync("/api/v1/namespaces/default/secrets?labelSelector=owner%3Dhelm");
        var item = stored.Object["items"]![0]!;
        Assert.Equal("release-1", item["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("helm.sh/release.v1", item["type"]!.GetValue<string>());
        Assert.Equal("AQID", item["data"]!["release"]!.GetValue<string>());
    }

    private static byte[] Text(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    /// <summary>Length-delimited fields only, which is all the test messages need.</summary>
    private static byte[] Message(params (int Field, byte[] Value)[] fields)
    {
        var bytes = new List<byte>();
        foreach (var (field, value) in fields)
        {
            bytes.Add((byte)((field << 3) | 2));
            var length = value.Length;
            while (length >= 0x80)
            {
                bytes.Add((byte)((length & 0x7f) | 0x80));
                length >>= 7;
            }

            bytes.Add((byte)length);
            bytes.AddRange(value);
        }

        return [.. bytes];
    }

    [Fact]
    public async Task Snapshot_IsWrittenOnStop_AndLoadedOnStart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sandbox-snapshot-{Guid.NewGuid():N}.json");
        try
        {
            long rv;
            await using (var first = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { SnapshotPath = path }))
            {
                using var http = new HttpClient { BaseAddress = first.BaseAddress };
                var crd = YamlJson.ParseObject(TestData("widgets-crd.yaml"));
                (await http.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", new StringContent(crd.ToJsonString()))).EnsureSuccessStatusCode();
                (await http.PostAsync(WidgetsPath, new StringContent("""{"apiVersion":"test.sandbox.io/v1alpha1","kind":"Widget","metadata":{"name":"kept"},"spec":{"memory":"1Gi"}}"""))).EnsureSuccessStatusCode();
                rv = first.ResourceVersion;
                await first.StopAsync();
            }

            await using var second = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { SnapshotPath = path });
            using var client = new HttpClient { BaseAddress = second.BaseAddress };
            var widget = JsonNode.Parse(await client.GetStringAsync(WidgetsPath + "/kept"))!;
            Assert.Equal("1Gi", widget["spec"]!["memory"]!.GetValue<string>());
            Assert.Equal(rv, second.ResourceVersion);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
