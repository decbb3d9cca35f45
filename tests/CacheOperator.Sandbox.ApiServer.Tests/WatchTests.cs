using System.Globalization;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class WatchTests : ServerTestBase
{
    protected override SandboxApiServerOptions Options => new() { BookmarkInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Watch_FromListVersion_SeesAddedModifiedDeleted()
    {
        var rv = Server.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Http, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}");

        var created = await CreateConfigMapAsync("a");
        await PatchAsync("/api/v1/namespaces/default/configmaps/a", "application/merge-patch+json", """{"data":{"k":"w"}}""");
        await DeleteAsync("/api/v1/namespaces/default/configmaps/a");

        var added = await watch.NextChangeAsync();
        var modified = await watch.NextChangeAsync();
        var deleted = await watch.NextChangeAsync();
        Assert.Equal("ADDED", added?["type"]?.GetValue<string>());
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), added!["object"]!["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("MODIFIED", modified?["type"]?.GetValue<string>());
        Assert.Equal("w", modified!["object"]!["data"]!["k"]!.GetValue<string>());
        Assert.Equal("DELETED", deleted?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithAddedForCurrentObjects()
    {
        await CreateConfigMapAsync("a");
        await CreateConfigMapAsync("b");

        await using var watch = await WatchStream.OpenAsync(Http, "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0");

        var names = new[] { await watch.NextChangeAsync(), await watch.NextChangeAsync() }
            .Select(e => $"{e?["type"]}:{e?["object"]?["metadata"]?["name"]}");
        Assert.Equal(["ADDED:a", "ADDED:b"], names);
    }

    [Fact]
    public async Task Watch_FromOldVersion_ReplaysHistory()
    {
        var rv = Server.ResourceVersion;
        await CreateConfigMapAsync("a");
        await CreateConfigMapAsync("b");

        await using var watch = await WatchStream.OpenAsync(Http, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv + 1}");

        var e = await watch.NextChangeAsync();
        Assert.Equal("ADDED", e?["type"]?.GetValue<string>());
        Assert.Equal("b", e!["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_FromCompactedVersion_GetsExpired410_ThenRelistAndRewatchWorks()
    {
        var rv = Server.ResourceVersion;
        await CreateConfigMapAsync("a");
        Server.CompactHistory();

        await using (var watch = await WatchStream.OpenAsync(Http, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"))
        {
            var error = await watch.NextAsync();
            Assert.Equal("ERROR", error?["type"]?.GetValue<string>());
            Assert.Equal("Expired", error!["object"]!["reason"]!.GetValue<string>());
            Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
            Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(2)));
        }

        var list = await GetAsync("/api/v1/namespaces/default/configmaps");
        var listRv = list.Str("metadata", "resourceVersion");
        await using var rewatch = await WatchStream.OpenAsync(Http, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={listRv}");
        await CreateConfigMapAsync("b");
        var added = await rewatch.NextChangeAsync();
        Assert.Equal("b", added?["object"]?["metadata"]?["name"]?.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithBookmarks_SendsBookmarkWithCurrentVersion()
    {
        await CreateConfigMapAsync("a");
        await using var watch = await WatchStream.OpenAsync(Http, $"/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion={Server.ResourceVersion}");

        var bookmark = await watch.NextAsync();

        Assert.Equal("BOOKMARK", bookmark?["type"]?.GetValue<string>());
        Assert.Equal(Server.ResourceVersion.ToString(CultureInfo.InvariantCulture), bookmark!["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("ConfigMap", bookmark["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithTimeoutSeconds_EndsTheStream()
    {
        await using var watch = await WatchStream.OpenAsync(Http, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=" + Server.ResourceVersion);

        var started = DateTime.UtcNow;
        var e = await watch.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Null(e);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Watch_WithLabelSelector_TurnsLeavingIntoDeletedAndEnteringIntoAdded()
    {
        await CreateConfigMapAsync("a", labels: """{"app":"web"}""");
        await using var watch = await WatchStream.OpenAsync(Http, $"/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dweb&resourceVersion={Server.ResourceVersion}");

        await CreateConfigMapAsync("other", labels: """{"app":"db"}""");
        await PatchAsync("/api/v1/namespaces/default/configmaps/a", "application/merge-patch+json", """{"metadata":{"labels":{"app":"db"}}}""");
        await PatchAsync("/api/v1/namespaces/default/configmaps/other", "application/merge-patch+json", """{"metadata":{"labels":{"app":"web"}}}""");

        var left = await watch.NextChangeAsync();
        var entered = await watch.NextChangeAsync();
        Assert.Equal("DELETED:a", $"{left?["type"]}:{left?["object"]?["metadata"]?["name"]}");
        Assert.Equal("ADDED:other", $"{entered?["type"]}:{entered?["object"]?["metadata"]?["name"]}");
    }

    [Fact]
    public async Task Watch_AllNamespaces_WithFieldSelectorOnName()
    {
        await using var watch = await WatchStream.OpenAsync(Http, $"/api/v1/configmaps?watch=true&fieldSelector=metadata.name%3Db&resourceVersion={Server.ResourceVersion}");

        await CreateConfigMapAsync("a");
        await CreateConfigMapAsync("b", "kube-system");

        var e = await watch.NextChangeAsync();
        Assert.Equal("kube-system/b", $"{e?["object"]?["metadata"]?["namespace"]}/{e?["object"]?["metadata"]?["name"]}");
    }

    [Fact]
    public async Task Watch_ThatFallsBehind_IsClosed()
    {
        await using var server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { HistoryLimit = 10 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var core = server.Core;
        var type = core.Registry.Get("", "configmaps");
        Watcher watcher;
        lock (core.Store.Gate)
        {
            watcher = core.Store.Watch(type, "default", LabelSelector.Everything, FieldSelector.Everything, core.Store.ResourceVersion)!;
        }

        for (var i = 0; i < 2100; i++)
        {
            core.Create(type, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"c{i}" } }, WriteOptions.Default);
        }

        Assert.True(watcher.Overflowed);
        var count = 0;
        while (watcher.Reader.TryRead(out _))
        {
            count++;
        }

        Assert.True(watcher.Reader.Completion.IsCompleted);
        Assert.Equal(2000, count);
    }
}
