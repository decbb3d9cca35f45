namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class TableTests : ServerTestBase
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    [Fact]
    public async Task Pods_AsTable_ShowReadyStatusAndRestarts()
    {
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"i"},{"name":"b","image":"i"}]}}""");
        await PatchAsync("/api/v1/namespaces/default/pods/p/status", "application/merge-patch+json",
            """{"status":{"phase":"Running","containerStatuses":[{"name":"a","ready":true,"restartCount":2},{"name":"b","ready":false,"restartCount":1}]}}""");

        var table = await GetAsync("/api/v1/namespaces/default/pods", TableAccept);

        var columns = table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node"], columns);
        var cells = table.Object["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("p 1/2 Running 3", $"{cells[0]} {cells[1]} {cells[2]} {cells[3]}");
        Assert.Equal("<none>", cells[6]!.GetValue<string>());
    }

    [Fact]
    public async Task PlainJson_IsServedWhenTableIsNotAsked()
    {
        await CreateConfigMapAsync("c");

        var list = await GetAsync("/api/v1/namespaces/default/configmaps");

        Assert.Equal("ConfigMapList", list.Str("kind"));
    }

    [Fact]
    public async Task Watch_AsTable_SendsOneRowTables()
    {
        await RegisterWidgetCrdAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{WidgetsPath}?watch=true&resourceVersion={Server.ResourceVersion}");
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        await CreateWidgetAsync("w", """{"memory":"1Gi","shards":3}""");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await reader.ReadLineAsync(cts.Token);
        var e = System.Text.Json.Nodes.JsonNode.Parse(line!)!;
        Assert.Equal("ADDED", e["type"]!.GetValue<string>());
        Assert.Equal("Table", e["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(3, e["object"]!["rows"]![0]!["cells"]![1]!.GetValue<long>());
    }
}
