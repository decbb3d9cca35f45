using System.Net;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class ListTests : ServerTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateConfigMapAsync("web-1", labels: """{"app":"web","tier":"front"}""");
        await CreateConfigMapAsync("web-2", labels: """{"app":"web","tier":"back"}""");
        await CreateConfigMapAsync("db-1", labels: """{"app":"db"}""");
        await CreateConfigMapAsync("plain");
    }

    [Theory]
    [InlineData("app=web", "web-1,web-2")]
    [InlineData("app==web", "web-1,web-2")]
    [InlineData("app!=web", "db-1,plain")]
    [InlineData("app in (web,db)", "db-1,web-1,web-2")]
    [InlineData("app notin (web)", "db-1,plain")]
    [InlineData("tier", "web-1,web-2")]
    [InlineData("!tier", "db-1,plain")]
    [InlineData("app=web,tier=back", "web-2")]
    public async Task List_WithLabelSelector_ReturnsMatches(string selector, string expected)
    {
        var response = await GetAsync("/api/v1/namespaces/default/configmaps?labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(expected, Names(response));
    }

    [Fact]
    public async Task List_WithFieldSelector_MatchesNameAndNamespace()
    {
        var byName = await GetAsync("/api/v1/configmaps?fieldSelector=metadata.name%3Ddb-1");
        var notDefault = await GetAsync("/api/v1/configmaps?fieldSelector=metadata.namespace!%3Ddefault");

        Assert.Equal("db-1", Names(byName));
        Assert.Equal("", Names(notDefault));
    }

    [Fact]
    public async Task List_Pods_ByPhaseAndNodeName()
    {
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p1"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"i"}]}}""");
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p2"},"spec":{"nodeName":"n2","containers":[{"name":"c","image":"i"}]}}""");
        await PatchAsync("/api/v1/namespaces/default/pods/p2/status", "application/merge-patch+json", """{"status":{"phase":"Running"}}""");

        Assert.Equal("p1", Names(await GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1")));
        Assert.Equal("p2", Names(await GetAsync("/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DRunning")));
        Assert.Equal("p1", Names(await GetAsync("/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DPending")));
    }

    [Fact]
    public async Task List_WithLimit_PagesWithContinue()
    {
        var first = await GetAsync("/api/v1/namespaces/default/configmaps?limit=3");
        var token = first.Str("metadata", "continue");
        Assert.False(string.IsNullOrEmpty(token));
        var second = await GetAsync("/api/v1/namespaces/default/configmaps?limit=3&continue=" + Uri.EscapeDataString(token!));

        Assert.Equal("db-1,plain,web-1", Names(first));
        Assert.Equal("web-2", Names(second));
        Assert.Null(second.Object["metadata"]!["continue"]);
    }

    [Fact]
    public async Task List_AcrossNamespaces_HasListMetadata()
    {
        await PostAsync("/api/v1/namespaces", """{"metadata":{"name":"other"}}""");
        await CreateConfigMapAsync("elsewhere", "other");

        var response = await GetAsync("/api/v1/configmaps");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ConfigMapList", response.Str("kind"));
        Assert.Equal(Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Str("metadata", "resourceVersion"));
        Assert.Equal("db-1,plain,web-1,web-2,elsewhere", Names(response));
    }

    [Fact]
    public async Task List_Namespaces_HasTheInitialOnes()
    {
        var response = await GetAsync("/api/v1/namespaces");

        Assert.Equal("default,kube-node-lease,kube-public,kube-system", Names(response));
        Assert.Equal("Active", response.Object["items"]![0]!["status"]!["phase"]!.GetValue<string>());
    }

    private static string Names(ApiResponse response) =>
        string.Join(",", (response.Object["items"] as JsonArray ?? []).Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
}
