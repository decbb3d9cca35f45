using System.Text.Json.Nodes;
using CacheOperator.Kubernetes.Configuration;
using Microsoft.AspNetCore.Http;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes.Tests;

public sealed class KubernetesClientTests : IAsyncLifetime
{
    private const string PodP1 = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"ns1","resourceVersion":"7"},"spec":{"containers":[{"name":"c"}]}}""";

    private FakeApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = _server.Url,
            BearerToken = "t0k3n",
            Namespace = "ctx-ns",
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromSeconds(2),
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Get_Existing_ReadsTheObjectFromItsNamespacedPath()
    {
        _server.Enqueue(200, PodP1);

        var pod = await _client.GetAsync<Pod>("ns1", "p1");

        Assert.Equal("7", pod!.Metadata.ResourceVersion);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/v1/namespaces/ns1/pods/p1", request.Path);
        Assert.Equal("Bearer t0k3n", request.Authorization);
    }

    [Fact]
    public async Task Get_NotFound_ReturnsNull()
    {
        _server.Enqueue(404, FakeApiServer.Status(404, "NotFound", "pods 'p1' not found"));

        Assert.Null(await _client.GetAsync<Pod>("ns1", "p1"));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Get_NamespacedKindWithoutNamespace_IsRejectedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.GetAsync<Pod>(null, "p1"));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task List_SendsSelectorsAndPagingInTheQuery_AndFillsItemKinds()
    {
        _server.Enqueue(200, """
            {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"100","continue":"page2"},
             "items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}
            """);
        _server.Enqueue(200, """{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"100"},"items":[{"metadata":{"name":"c"}}]}""");

        var first = await _client.ListAsync<Pod>("ns1", new ListOptions { LabelSelector = "app=web,tier in (a,b)", FieldSelector = "status.phase=Running", Limit = 2 });
        var second = await _client.ListAsync<Pod>("ns1", new ListOptions { LabelSelector = "app=web,tier in (a,b)", Limit = 2, Continue = first.Metadata.Continue });

        Assert.Equal(["a", "b"], first.Items.Select(p => p.Metadata.Name));
        Assert.All(first.Items, p => Assert.Equal(("v1", "Pod"), (p.ApiVersion, p.Kind)));
        Assert.Equal("c", Assert.Single(second.Items).Metadata.Name);
        Assert.Null(second.Metadata.Continue);
        var (q1, q2) = (_server.Requests[0].QueryParameters, _server.Requests[1].QueryParameters);
        Assert.Equal("/api/v1/namespaces/ns1/pods", _server.Requests[0].Path);
        Assert.Equal("app=web,tier in (a,b)", q1["labelSelector"]);
        Assert.Equal("status.phase=Running", q1["fieldSelector"]);
        Assert.Equal("2", q1["limit"]);
        Assert.False(q1.ContainsKey("continue"));
        Assert.Equal("page2", q2["continue"]);
    }

    [Fact]
    public async Task List_AllNamespaces_UsesTheClusterWidePath()
    {
        _server.Enqueue(200, """{"metadata":{},"items":[]}""");

        await _client.ListAsync<StatefulSet>(null, new ListOptions { ResourceVersion = "0" });

        Assert.Equal("/apis/apps/v1/statefulsets", _server.Requests[0].Path);
        Assert.Equal("0", _server.Requests[0].QueryParameters["resourceVersion"]);
    }

    [Fact]
    public async Task Watch_YieldsEventsInOrder_BookmarkIncluded_AndAServerEndIsANormalEnd()
    {
        _server.Enqueue(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            foreach (string line in new[]
            {
                """{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"11"}}}""",
                """{"type":"MODIFIED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"12"}}}""",
                """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"13"}}}""",
                """{"type":"DELETED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"14"}}}""",
            })
            {
                await ctx.Response.WriteAsync(line + "\n");
                await ctx.Response.Body.FlushAsync();
            }
        });

        var events = new List<WatchEvent<Pod>>();
        await foreach (var e in _client.WatchAsync<Pod>("ns1", new ListOptions { ResourceVersion = "10", AllowWatchBookmarks = true, TimeoutSeconds = 300 }))
            events.Add(e);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(["11", "12", "13", "14"], events.Select(e => e.Object.Metadata.ResourceVersion));
        var q = _server.Requests[0].QueryParameters;
        Assert.Equal("true", q["watch"]);
        Assert.Equal("10", q["resourceVersion"]);
        Assert.Equal("true", q["allowWatchBookmarks"]);
        Assert.Equal("300", q["timeoutSeconds"]);
    }

    [Fact]
    public async Task Watch_EventsArriveBeforeTheStreamEnds()
    {
        var release = new TaskCompletionSource();
        _server.Enqueue(async ctx =>
        {
            await ctx.Response.WriteAsync("""{"type":"ADDED","object":{"metadata":{"name":"a"}}}""" + "\n");
            await ctx.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
        });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = _client.WatchAsync<Pod>("ns1", new ListOptions(), cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("a", watch.Current.Object.Metadata.Name);
        release.SetResult();
        Assert.False(await watch.MoveNextAsync());
    }

    [Fact]
    public async Task Watch_ErrorEventExpired_ThrowsIsExpired()
    {
        _server.Enqueue(200, """
            {"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"11"}}}
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (11)","reason":"Expired","code":410}}
            """);

        var seen = new List<string?>();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var e in _client.WatchAsync<Pod>("ns1", new ListOptions { ResourceVersion = "5" }))
                seen.Add(e.Object.Metadata.Name);
        });

        Assert.Equal(["a"], seen);
        Assert.True(error.IsExpired);
        Assert.Contains("too old", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Http410_ThrowsIsExpired()
    {
        _server.Enqueue(410, FakeApiServer.Status(410, "Expired", "too old"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync<Pod>("ns1", new ListOptions { ResourceVersion = "5" }))
            {
            }
        });

        Assert.True(error.IsExpired);
    }

    [Fact]
    public async Task Create_PostsJsonWithApiVersionAndKindFilled_IntoTheContextNamespace()
    {
        _server.Enqueue(201, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ring","namespace":"ctx-ns","uid":"u1"}}""");
        var cm = new ConfigMap { Metadata = { Name = "ring" }, Data = new Dictionary<string, string> { ["v"] = "1" } };

        var created = await _client.CreateAsync(cm);

        Assert.Equal("u1", created.Metadata.Uid);
        Assert.Null(cm.Kind);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/api/v1/namespaces/ctx-ns/configmaps"), (request.Method, request.Path));
        Assert.Equal("application/json", request.ContentType);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.Equal("ConfigMap", (string?)body["kind"]);
        Assert.Equal("1", (string?)body["data"]!["v"]);
    }

    [Fact]
    public async Task Create_Existing_SurfacesAlreadyExists()
    {
        _server.Enqueue(409, FakeApiServer.Status(409, "AlreadyExists", "configmaps 'ring' already exists"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            _client.CreateAsync(new ConfigMap { Metadata = { Name = "ring", Namespace = "a" } }));

        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsConflict);
    }

    [Fact]
    public async Task Replace_Stale_SurfacesConflict_WithoutRetrying()
    {
        _server.Enqueue(409, FakeApiServer.Status(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again"));
        var pod = KubernetesJson.Deserialize<Pod>(PodP1)!;

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(pod));

        Assert.True(error.IsConflict);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, error.StatusCode);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("PUT", "/api/v1/namespaces/ns1/pods/p1"), (request.Method, request.Path));
        Assert.Equal("7", (string?)JsonNode.Parse(request.Body)!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task ReplaceStatus_PutsToTheStatusSubresource()
    {
        _server.Enqueue(200, PodP1);

        await _client.ReplaceStatusAsync(KubernetesJson.Deserialize<Pod>(PodP1)!);

        Assert.Equal(("PUT", "/api/v1/namespaces/ns1/pods/p1/status"), (_server.Requests[0].Method, _server.Requests[0].Path));
    }

    [Theory]
    [InlineData(PatchType.Merge, "application/merge-patch+json")]
    [InlineData(PatchType.Json, "application/json-patch+json")]
    [InlineData(PatchType.StrategicMerge, "application/strategic-merge-patch+json")]
    public async Task Patch_SendsTheContentTypeOfItsKind(PatchType type, string contentType)
    {
        _server.Enqueue(200, """{"metadata":{"name":"web"},"spec":{"replicas":3}}""");

        var sts = await _client.PatchAsync<StatefulSet>("ns1", "web", type, """{"spec":{"replicas":3}}""");

        Assert.Equal(3, sts.Spec.Replicas);
        Assert.Equal(("apps/v1", "StatefulSet"), (sts.ApiVersion, sts.Kind));
        var request = _server.Requests[0];
        Assert.Equal(("PATCH", "/apis/apps/v1/namespaces/ns1/statefulsets/web"), (request.Method, request.Path));
        Assert.Equal(contentType, request.ContentType);
        Assert.Equal("""{"spec":{"replicas":3}}""", request.Body);
    }

    [Fact]
    public async Task Patch_Subresource_GoesToItsPath()
    {
        _server.Enqueue(200, """{"metadata":{"name":"web"}}""");

        await _client.PatchAsync<StatefulSet>("ns1", "web", PatchType.Merge, """{"spec":{"replicas":2}}""", subresource: "scale");

        Assert.Equal("/apis/apps/v1/namespaces/ns1/statefulsets/web/scale", _server.Requests[0].Path);
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public async Task Apply_PatchesWithTheApplyContentType_FieldManagerAndForce(bool force, string forceText)
    {
        _server.Enqueue(201, """{"metadata":{"name":"web","namespace":"ns1"}}""");
        var svc = KubernetesJson.Deserialize<Service>("""
            {"metadata":{"name":"web","namespace":"ns1","managedFields":[{"manager":"x"}]},"spec":{"ports":[{"port":80,"targetPort":"http"}]}}
            """)!;

        await _client.ApplyAsync(svc, new ApplyOptions("cache-operator", force));

        var request = _server.Requests[0];
        Assert.Equal(("PATCH", "/api/v1/namespaces/ns1/services/web"), (request.Method, request.Path));
        Assert.Equal("application/apply-patch+yaml", request.ContentType);
        Assert.Equal("cache-operator", request.QueryParameters["fieldManager"]);
        Assert.Equal(forceText, request.QueryParameters["force"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("Service", (string?)body["kind"]);
        Assert.Null(body["metadata"]!["managedFields"]);
        Assert.Equal("http", (string?)body["spec"]!["ports"]![0]!["targetPort"]);
    }

    [Fact]
    public async Task Delete_SendsDeleteOptionsBody()
    {
        _server.Enqueue(200, """{"kind":"Status","apiVersion":"v1","status":"Success","details":{"name":"p1"}}""");

        var lingering = await _client.DeleteAsync<Pod>("ns1", "p1", new DeleteOptions
        {
            PropagationPolicy = "Foreground",
            GracePeriodSeconds = 0,
            PreconditionUid = "u1",
            PreconditionResourceVersion = "9",
        });

        Assert.Null(lingering);
        var request = _server.Requests[0];
        Assert.Equal(("DELETE", "/api/v1/namespaces/ns1/pods/p1"), (request.Method, request.Path));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground","gracePeriodSeconds":0,
             "preconditions":{"uid":"u1","resourceVersion":"9"}}
            """), JsonNode.Parse(request.Body)), request.Body);
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizers_ReturnsTheLingeringObject()
    {
        _server.Enqueue(200, """{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p1","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["x"]}}""");

        var lingering = await _client.DeleteAsync<Pod>("ns1", "p1");

        Assert.NotNull(lingering!.Metadata.DeletionTimestamp);
        Assert.Equal("""{"kind":"DeleteOptions","apiVersion":"v1"}""", _server.Requests[0].Body);
    }

    [Fact]
    public async Task Delete_Absent_ReturnsNull()
    {
        _server.Enqueue(404, FakeApiServer.Status(404, "NotFound", "gone"));

        Assert.Null(await _client.DeleteAsync<Pod>("ns1", "p1"));
    }

    [Fact]
    public async Task Get_TooManyRequestsWithRetryAfter_WaitsThenSucceeds()
    {
        _server.Enqueue(429, FakeApiServer.Status(429, "TooManyRequests", "slow down"), ("Retry-After", "1"));
        _server.Enqueue(200, PodP1);

        var started = DateTimeOffset.UtcNow;
        var pod = await _client.GetAsync<Pod>("ns1", "p1");

        Assert.NotNull(pod);
        Assert.Equal(2, _server.Requests.Count);
        // Retry-After: 1 is honoured rather than the 5 ms backoff (generous margin below one second for clock grain).
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Get_ServerError_IsRetried()
    {
        _server.Enqueue(500, FakeApiServer.Status(500, "InternalError", "etcd hiccup"));
        _server.Enqueue(503, "<html>unavailable</html>");
        _server.Enqueue(200, PodP1);

        Assert.NotNull(await _client.GetAsync<Pod>("ns1", "p1"));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Get_PersistentServerError_GivesUpAfterTheRetryBudget()
    {
        _server.Fallback = ctx => FakeApiServer.Respond(ctx, 500, FakeApiServer.Status(500, "InternalError", "down"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.GetAsync<Pod>("ns1", "p1"));

        Assert.Equal(500, error.Status.Code);
        Assert.Equal(1 + 3, _server.Requests.Count);
    }

    [Fact]
    public async Task Create_ServerErrorWithoutRetryAfter_IsNotRetried()
    {
        _server.Enqueue(500, FakeApiServer.Status(500, "InternalError", "maybe applied"));

        await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(new ConfigMap { Metadata = { Name = "x" } }));

        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Create_TurnedAwayWithRetryAfter_IsRetried(int code)
    {
        _server.Enqueue(code, FakeApiServer.Status(code, "TooManyRequests", "later"), ("Retry-After", "0"));
        _server.Enqueue(201, """{"metadata":{"name":"x"}}""");

        var created = await _client.CreateAsync(new ConfigMap { Metadata = { Name = "x" } });

        Assert.Equal("x", created.Metadata.Name);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
    }

    [Fact]
    public async Task Error_WhoseBodyIsNotAStatus_GetsOneMadeFromTheHttpCode()
    {
        _server.Enqueue(ctx =>
        {
            ctx.Response.StatusCode = 403;
            ctx.Response.ContentType = "text/plain";
            return ctx.Response.WriteAsync("forbidden by proxy");
        });

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(new ConfigMap { Metadata = { Name = "x" } }));

        Assert.Equal(("Forbidden", 403, "forbidden by proxy"), (error.Reason, error.Status.Code, error.Status.Message));
    }

    [Fact]
    public async Task Get_NothingListening_EndsInAConnectionError()
    {
        // A port that was just free: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = new Uri($"http://127.0.0.1:{port}"),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<Pod>("a", "b"));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task ServerUrlWithAPath_KeepsThePathAsAPrefix()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = new Uri(_server.Url, "/k8s/clusters/c-1/") });

        await client.GetAsync<Pod>("a", "b");

        Assert.Equal("/k8s/clusters/c-1/api/v1/namespaces/a/pods/b", _server.Requests[0].Path);
    }

    [Fact]
    public async Task Watch_OutlivesTheRequestTimeout()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = _server.Url,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            MaxRetries = 0,
        });
        _server.Enqueue(async ctx =>
        {
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(900));
            await ctx.Response.WriteAsync("""{"type":"ADDED","object":{"metadata":{"name":"late"}}}""" + "\n");
        });

        var names = new List<string?>();
        await foreach (var e in client.WatchAsync<Pod>("ns1", new ListOptions()))
            names.Add(e.Object.Metadata.Name);

        Assert.Equal(["late"], names);
    }

    [Fact]
    public async Task Watch_Cancelled_StopsWaiting()
    {
        var serverDone = new TaskCompletionSource();
        _server.Enqueue(async ctx =>
        {
            await ctx.Response.Body.FlushAsync();
            await serverDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        });
        using var cts = new CancellationTokenSource();

        var watching = Task.Run(async () =>
        {
            await foreach (var _ in _client.WatchAsync<Pod>("ns1", new ListOptions(), cts.Token))
            {
            }
        });
        await WaitUntilAsync(() => _server.Requests.Count == 1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching.WaitAsync(TimeSpan.FromSeconds(10)));
        serverDone.SetResult();
    }

    [Fact]
    public async Task Watch_ConnectionCutMidStream_EndsLikeANormalEnd()
    {
        var cut = new TaskCompletionSource();
        _server.Enqueue(async ctx =>
        {
            await ctx.Response.WriteAsync("""{"type":"ADDED","object":{"metadata":{"name":"a"}}}""" + "\n" + """{"type":"MODI""");
            await ctx.Response.Body.FlushAsync();
            await cut.Task.WaitAsync(TimeSpan.FromSeconds(10));
            ctx.Abort();
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = _client.WatchAsync<Pod>("ns1", new ListOptions(), cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("a", watch.Current.Object.Metadata.Name);
        cut.SetResult();
        Assert.False(await watch.MoveNextAsync());
    }

    [Fact]
    public async Task SlowServer_ReadIsRetriedThenTimesOut_WriteIsNotRetried()
    {
        var release = new TaskCompletionSource();
        _server.Fallback = async ctx => await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ctx.RequestAborted);
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = _server.Url,
            RequestTimeout = TimeSpan.FromMilliseconds(200),
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync<Pod>("a", "b"));
        int reads = _server.Requests.Count;
        await Assert.ThrowsAsync<TimeoutException>(() => client.CreateAsync(new ConfigMap { Metadata = { Name = "x" } }));
        release.SetResult();

        Assert.Equal(2, reads);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task CallerCancellation_IsNotATimeout()
    {
        var release = new TaskCompletionSource();
        _server.Fallback = async ctx => await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ctx.RequestAborted);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetAsync<Pod>("a", "b", cts.Token));

        release.SetResult();
        Assert.IsNotType<TimeoutException>(error.InnerException);
        Assert.Single(_server.Requests);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25);
        Assert.True(condition());
    }
}
