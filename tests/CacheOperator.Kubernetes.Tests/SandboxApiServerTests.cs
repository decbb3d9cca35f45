using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Kubernetes.Tests;

/// <summary>The client against the sandbox API server, configured through the kubeconfig the sandbox writes.</summary>
public sealed class SandboxApiServerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SandboxApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        string kubeconfig = Path.Combine(_dir.Path, "config");
        _server.WriteKubeconfig(kubeconfig, "default");
        var config = KubernetesClientConfiguration.FromKubeconfig(kubeconfig);
        config.MaxRetries = 1;
        _client = new KubernetesClient(config);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private static ConfigMap Map(string name, string value, string app = "web") => new()
    {
        Metadata = { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Data = new Dictionary<string, string> { ["v"] = value },
    };

    [Fact]
    public async Task CreateGetList_RoundTrip_WithSelectorsAndPaging()
    {
        await _client.CreateAsync(Map("a", "1"));
        await _client.CreateAsync(Map("b", "2"));
        await _client.CreateAsync(Map("c", "3", app: "other"));

        var a = await _client.GetAsync<ConfigMap>("default", "a");
        var web = await _client.ListAsync<ConfigMap>("default", new ListOptions { LabelSelector = "app=web" });
        var page = await _client.ListAsync<ConfigMap>("default", new ListOptions { Limit = 2 });
        var rest = await _client.ListAsync<ConfigMap>("default", new ListOptions { Limit = 2, Continue = page.Metadata.Continue });

        Assert.Equal("1", a!.Data!["v"]);
        Assert.False(string.IsNullOrEmpty(a.Metadata.Uid));
        Assert.Equal(["a", "b"], web.Items.Select(i => i.Metadata.Name).Order());
        Assert.Equal(3, page.Items.Count + rest.Items.Count);
        Assert.Null(await _client.GetAsync<ConfigMap>("default", "missing"));
    }

    [Fact]
    public async Task Replace_WithAStaleResourceVersion_IsConflict_AndOnConflictRetryWins()
    {
        var created = await _client.CreateAsync(Map("a", "1"));
        var fresh = KubernetesJson.Clone(created);
        fresh.Data!["v"] = "2";
        await _client.ReplaceAsync(fresh);

        created.Data!["v"] = "stale";
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(created));
        Assert.True(error.IsConflict);

        await KubernetesRetry.OnConflictAsync(async () =>
        {
            var current = (await _client.GetAsync<ConfigMap>("default", "a"))!;
            current.Data!["v"] = "3";
            await _client.ReplaceAsync(current);
        });
        Assert.Equal("3", (await _client.GetAsync<ConfigMap>("default", "a"))!.Data!["v"]);
    }

    [Fact]
    public async Task Create_Twice_IsAlreadyExists()
    {
        await _client.CreateAsync(Map("a", "1"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(Map("a", "1")));

        Assert.True(error.IsAlreadyExists);
    }

    [Fact]
    public async Task Apply_CreatesThenUpdates()
    {
        var options = new ApplyOptions("client-tests");

        var first = await _client.ApplyAsync(Map("a", "1"), options);
        var second = await _client.ApplyAsync(Map("a", "2"), options);

        Assert.Equal("1", first.Data!["v"]);
        Assert.Equal("2", second.Data!["v"]);
        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
    }

    [Fact]
    public async Task Watch_SeesWritesAfterTheListResourceVersion()
    {
        var list = await _client.ListAsync<ConfigMap>("default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string?)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in _client.WatchAsync<ConfigMap>("default",
                new ListOptions { ResourceVersion = list.Metadata.ResourceVersion }, cts.Token))
            {
                events.Add((e.Type, e.Object.Metadata.Name));
                if (e.Type == WatchEventType.Deleted)
                    return;
            }
        }, cts.Token);

        var created = await _client.CreateAsync(Map("a", "1"));
        created.Data!["v"] = "2";
        await _client.ReplaceAsync(created);
        await _client.DeleteAsync<ConfigMap>("default", "a");
        await watching;

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Modified, "a"), (WatchEventType.Deleted, "a")], events);
    }

    [Fact]
    public async Task Watch_FromACompactedResourceVersion_IsExpired()
    {
        var created = await _client.CreateAsync(Map("a", "1"));
        created.Data!["v"] = "2";
        await _client.ReplaceAsync(created);
        _server.CompactHistory();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync<ConfigMap>("default",
                new ListOptions { ResourceVersion = created.Metadata.ResourceVersion }, cts.Token))
            {
            }
        });

        Assert.True(error.IsExpired);
    }

    [Fact]
    public async Task Lease_MicroTimesSurviveTheServer()
    {
        var renew = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560);
        await _client.CreateAsync(new Lease
        {
            Metadata = { Name = "leader", Namespace = "kube-system" },
            Spec = { HolderIdentity = "me", LeaseDurationSeconds = 15, RenewTime = renew, AcquireTime = renew },
        });

        var lease = await _client.GetAsync<Lease>("kube-system", "leader");

        Assert.Equal("me", lease!.Spec.HolderIdentity);
        Assert.Equal(renew, lease.Spec.RenewTime);
    }

    [Fact]
    public async Task StatefulSet_ScaleSubresource_SetsReplicas()
    {
        await _client.CreateAsync(new StatefulSet
        {
            Metadata = { Name = "web" },
            Spec =
            {
                Replicas = 1,
                ServiceName = "web",
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = { Containers = [new Container { Name = "c", Image = "img" }] },
                },
            },
        });

        var scaled = await _client.ScaleAsync<StatefulSet>("default", "web", 3);
        var scale = await _client.GetScaleAsync<StatefulSet>("default", "web");

        Assert.Equal(("autoscaling/v1", "Scale", 3), (scaled.ApiVersion, scaled.Kind, scaled.Spec.Replicas));
        Assert.Equal(3, scale!.Spec.Replicas);
        Assert.Equal(3, (await _client.GetAsync<StatefulSet>("default", "web"))!.Spec.Replicas);
    }
}
