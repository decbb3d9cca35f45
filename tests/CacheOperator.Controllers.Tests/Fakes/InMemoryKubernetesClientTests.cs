using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Controllers.Tests.Fakes;

public sealed class InMemoryKubernetesClientTests
{
    private readonly InMemoryKubernetesClient _client = new();

    private static ConfigMap OwnedConfigMap(string name, KubernetesObject owner) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = owner.Metadata.Namespace,
            OwnerReferences = [new OwnerReference
            {
                ApiVersion = owner.ApiVersion!, Kind = owner.Kind!, Name = owner.Metadata.Name!,
                Uid = owner.Metadata.Uid!, Controller = true,
            }],
        },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    [Fact]
    public async Task Create_SetsServerFields_AndDropsStatus()
    {
        Widget widget = Widget.Named("a");
        widget.Status = new WidgetStatus { Phase = "Ready" };

        Widget created = await _client.CreateAsync(widget);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal("1", created.Metadata.ResourceVersion);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("test.cacheoperator.io/v1", created.ApiVersion);
        Assert.Equal("Widget", created.Kind);
        Assert.Null(created.Status);
    }

    [Fact]
    public async Task Create_OfExistingName_IsAlreadyExists()
    {
        await _client.CreateAsync(Widget.Named("a"));

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(Widget.Named("a")));

        Assert.True(e.IsAlreadyExists);
        Assert.Equal(409, e.Status.Code);
    }

    [Fact]
    public async Task Create_WithGenerateName_PicksAName()
    {
        var widget = new Widget { Metadata = new ObjectMeta { GenerateName = "w-", Namespace = "default" } };

        Widget created = await _client.CreateAsync(widget);

        Assert.StartsWith("w-", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(7, created.Metadata.Name!.Length);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_IsConflict()
    {
        Widget created = await _client.CreateAsync(Widget.Named("a"));
        created.Spec.Size = 2;
        await _client.ReplaceAsync(created);

        created.Spec.Size = 3;
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(created));

        Assert.True(e.IsConflict);
    }

    [Fact]
    public async Task Replace_OfCustomResourceWithoutResourceVersion_IsInvalid()
    {
        Widget created = await _client.CreateAsync(Widget.Named("a"));
        created.Metadata.ResourceVersion = null;

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(created));

        Assert.True(e.IsInvalid);
    }

    [Fact]
    public async Task Replace_OfBuiltInWithoutResourceVersion_IsUnconditional()
    {
        await _client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = "ns" } });

        ConfigMap replaced = await _client.ReplaceAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "c", Namespace = "ns" },
            Data = new Dictionary<string, string> { ["x"] = "y" },
        });

        Assert.Equal("y", replaced.Data!["x"]);
    }

    [Fact]
    public async Task Replace_BumpsGenerationOnlyOnSpecChange_AndIgnoresStatus()
    {
        Widget w = await _client.CreateAsync(Widget.Named("a"));

        w.Metadata.Labels = new Dictionary<string, string> { ["l"] = "1" };
        w = await _client.ReplaceAsync(w);
        Assert.Equal(1, w.Metadata.Generation);

        w.Spec.Size = 5;
        w.Status = new WidgetStatus { Phase = "Ignored" };
        w = await _client.ReplaceAsync(w);
        Assert.Equal(2, w.Metadata.Generation);
        Assert.Null(w.Status);
    }

    [Fact]
    public async Task ReplaceStatus_ChangesOnlyStatus_WithoutGenerationBump()
    {
        Widget w = await _client.CreateAsync(Widget.Named("a"));
        w.Spec.Size = 9;
        w.Status = new WidgetStatus { Phase = "Ready", ObservedGeneration = 1 };

        Widget updated = await _client.ReplaceStatusAsync(w);

        Assert.Equal("Ready", updated.Status!.Phase);
        Assert.Equal(1, updated.Spec.Size);
        Assert.Equal(1, updated.Metadata.Generation);
        Assert.NotEqual(w.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceStatus_OnKindWithoutStatus_IsNotFound()
    {
        ConfigMap c = await _client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = "ns" } });

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceStatusAsync(c));

        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task Replace_WithNothingChanged_KeepsResourceVersion_AndLogsNoMutation()
    {
        Widget w = await _client.CreateAsync(Widget.Named("a", labels: new Dictionary<string, string> { ["x"] = "1" }));
        _client.ClearRequests();

        Widget same = await _client.ReplaceAsync(w);
        Widget applied = await _client.ApplyAsync(Widget.Named("a", labels: new Dictionary<string, string> { ["x"] = "1" }),
            new ApplyOptions("test"));

        Assert.Equal(w.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Equal(w.Metadata.ResourceVersion, applied.Metadata.ResourceVersion);
        Assert.Equal(2, _client.Requests.Count);
        Assert.Empty(_client.Mutations);
    }

    [Fact]
    public async Task Apply_CreatesWhenAbsent_ThenMergesFields()
    {
        Widget created = await _client.ApplyAsync(Widget.Named("a", size: 2), new ApplyOptions("test"));
        var change = Widget.Named("a", size: 3);
        change.Spec.Color = "red";

        Widget merged = await _client.ApplyAsync(change, new ApplyOptions("test"));

        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(3, merged.Spec.Size);
        Assert.Equal("red", merged.Spec.Color);
        Assert.Equal(2, merged.Metadata.Generation);
    }

    [Fact]
    public async Task Apply_RemovesFieldsTheSameManagerStopsApplying_ButNotOtherManagers()
    {
        var first = Widget.Named("a", size: 2, labels: new Dictionary<string, string> { ["mine"] = "1" });
        first.Spec.Color = "red";
        await _client.ApplyAsync(first, new ApplyOptions("operator"));
        await _client.ApplyAsync(Widget.Named("a", size: 2, labels: new Dictionary<string, string> { ["theirs"] = "1" }),
            new ApplyOptions("someone-else"));

        Widget second = await _client.ApplyAsync(Widget.Named("a", size: 3), new ApplyOptions("operator"));

        Assert.Null(second.Spec.Color);
        Assert.Equal(3, second.Spec.Size);
        Assert.Equal(["theirs"], second.Metadata.Labels!.Keys);
    }

    [Fact]
    public async Task Patch_Merge_Json_AndStrategicOnCustomResource()
    {
        await _client.CreateAsync(Widget.Named("a", size: 2));

        Widget merged = await _client.PatchAsync<Widget>("default", "a", PatchType.Merge, """{"spec":{"color":"blue","size":null}}""");
        Widget patched = await _client.PatchAsync<Widget>("default", "a", PatchType.Json,
            """[{"op":"add","path":"/spec/size","value":7},{"op":"test","path":"/spec/color","value":"blue"}]""");
        var strategic = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            _client.PatchAsync<Widget>("default", "a", PatchType.StrategicMerge, "{}"));

        Assert.Equal("blue", merged.Spec.Color);
        Assert.Null(merged.Spec.Size);
        Assert.Equal(7, patched.Spec.Size);
        Assert.Equal(415, strategic.Status.Code);
    }

    [Fact]
    public async Task Patch_WithStaleResourceVersion_IsConflict()
    {
        Widget w = await _client.CreateAsync(Widget.Named("a"));
        await _client.PatchAsync<Widget>("default", "a", PatchType.Merge, """{"spec":{"size":4}}""");

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.PatchAsync<Widget>("default", "a",
            PatchType.Merge, $$$"""{"metadata":{"resourceVersion":"{{{w.Metadata.ResourceVersion}}}"},"spec":{"size":5}}"""));

        Assert.True(e.IsConflict);
    }

    [Fact]
    public async Task PatchStatus_WritesStatusOnly()
    {
        await _client.CreateAsync(Widget.Named("a"));

        Widget w = await _client.PatchAsync<Widget>("default", "a", PatchType.Merge,
            """{"spec":{"size":8},"status":{"phase":"Up"}}""", "status");

        Assert.Equal("Up", w.Status!.Phase);
        Assert.Equal(1, w.Spec.Size);
    }

    [Fact]
    public async Task List_FiltersByNamespaceAndLabels_AndPages()
    {
        for (int i = 0; i < 5; i++)
            await _client.CreateAsync(Widget.Named($"w{i}", labels: new Dictionary<string, string> { ["tier"] = i % 2 == 0 ? "a" : "b" }));
        await _client.CreateAsync(Widget.Named("other", ns: "elsewhere"));

        var selected = await _client.ListAsync<Widget>("default", new ListOptions { LabelSelector = "tier in (a)" });
        var first = await _client.ListAsync<Widget>(null, new ListOptions { Limit = 4 });
        var second = await _client.ListAsync<Widget>(null, new ListOptions { Limit = 4, Continue = first.Metadata.Continue });

        Assert.Equal(["w0", "w2", "w4"], selected.Items.Select(w => w.Metadata.Name));
        Assert.Equal(4, first.Items.Count);
        Assert.Equal(2, first.Metadata.RemainingItemCount);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.Metadata.Continue);
        Assert.Equal(6, first.Items.Concat(second.Items).Select(w => w.Metadata.Name).Distinct().Count());
    }

    [Fact]
    public async Task Watch_FromResourceVersion_ReplaysLaterEvents_AndEndsAtTimeout()
    {
        await _client.CreateAsync(Widget.Named("a"));
        string from = _client.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _client.CreateAsync(Widget.Named("b"));
        await _client.DeleteAsync<Widget>("default", "a");

        var events = new List<WatchEvent<Widget>>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in _client.WatchAsync<Widget>("default", new ListOptions { ResourceVersion = from, TimeoutSeconds = 1 }, cts.Token))
            events.Add(e);

        Assert.Equal([(WatchEventType.Added, "b"), (WatchEventType.Deleted, "a")],
            events.Select(e => (e.Type, e.Object.Metadata.Name!)));
    }

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_IsExpired()
    {
        await _client.CreateAsync(Widget.Named("a"));
        await _client.CreateAsync(Widget.Named("b"));
        _client.ExpireHistory();

        var e = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync<Widget>(null, new ListOptions { ResourceVersion = "1" }))
                break;
        });

        Assert.True(e.IsExpired);
    }

    [Fact]
    public async Task Watch_HistoryBeyondCapacity_IsExpired()
    {
        var client = new InMemoryKubernetesClient(historyCapacity: 2);
        for (int i = 0; i < 4; i++)
            await client.CreateAsync(Widget.Named($"w{i}"));

        var e = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in client.WatchAsync<Widget>(null, new ListOptions { ResourceVersion = "1" }))
                break;
        });

        Assert.True(e.IsExpired);
    }

    [Fact]
    public async Task Watch_WithLabelSelector_SeesObjectsLeavingTheSelectionAsDeleted()
    {
        Widget w = await _client.CreateAsync(Widget.Named("a", labels: new Dictionary<string, string> { ["app"] = "x" }));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = _client.WatchAsync<Widget>("default",
            new ListOptions { LabelSelector = "app=x", ResourceVersion = w.Metadata.ResourceVersion }, cts.Token)
            .GetAsyncEnumerator(cts.Token);
        Task<bool> first = watch.MoveNextAsync().AsTask();

        w.Metadata.Labels = new Dictionary<string, string> { ["app"] = "y" };
        await _client.ReplaceAsync(w);

        Assert.True(await first);
        Assert.Equal(WatchEventType.Deleted, watch.Current.Type);
    }

    [Fact]
    public async Task CloseWatches_EndsOpenWatchesNormally()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = _client.WatchAsync<Widget>(null, new ListOptions { ResourceVersion = "0" }, cts.Token).GetAsyncEnumerator(cts.Token);
        Task<bool> next = watch.MoveNextAsync().AsTask();
        for (int i = 0; i < 200 && _client.OpenWatchCount == 0; i++)
            await Task.Delay(10);

        _client.CloseWatches();

        Assert.False(await next);
        await watch.DisposeAsync();
        Assert.Equal(0, _client.OpenWatchCount);
    }

    [Fact]
    public async Task Delete_WithFinalizers_MarksThenRemovesWhenFinalizersClear()
    {
        Widget w = Widget.Named("a");
        w.Metadata.Finalizers = ["test/finalizer"];
        await _client.CreateAsync(w);

        Widget? marked = await _client.DeleteAsync<Widget>("default", "a");
        Assert.NotNull(marked);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Equal(2, marked.Metadata.Generation);

        marked.Metadata.Finalizers = [];
        await _client.ReplaceAsync(marked);

        Assert.Null(await _client.GetAsync<Widget>("default", "a"));
    }

    [Fact]
    public async Task Delete_OfOwner_CollectsDependents_UnlessOrphaned()
    {
        Widget owner = await _client.CreateAsync(Widget.Named("a"));
        Widget keeper = await _client.CreateAsync(Widget.Named("b"));
        await _client.CreateAsync(OwnedConfigMap("owned-a", owner));
        await _client.CreateAsync(OwnedConfigMap("owned-b", keeper));

        await _client.DeleteAsync<Widget>("default", "a", DeleteOptions.Background);
        await _client.DeleteAsync<Widget>("default", "b", new DeleteOptions { PropagationPolicy = "Orphan" });

        Assert.Null(await _client.GetAsync<ConfigMap>("default", "owned-a"));
        ConfigMap? orphan = await _client.GetAsync<ConfigMap>("default", "owned-b");
        Assert.NotNull(orphan);
        Assert.Null(orphan.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Delete_OfAbsentObject_ReturnsNull()
    {
        Assert.Null(await _client.DeleteAsync<Widget>("default", "nothing"));
    }

    [Fact]
    public async Task FailNext_FailsThatManyCalls_ThenSucceeds()
    {
        _client.FailNext(FakeVerb.Create, 2, 500);

        var first = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(Widget.Named("a")));
        await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(Widget.Named("a")));
        Widget created = await _client.CreateAsync(Widget.Named("a"));

        Assert.Equal(500, first.Status.Code);
        Assert.Equal("InternalError", first.Reason);
        Assert.NotNull(created.Metadata.Uid);
        Assert.Equal(2, _client.Requests.Count(r => r.Error is not null));
    }

    [Fact]
    public async Task Interceptor_CanFailSelectedRequests()
    {
        _client.Interceptor = r => r.Name == "bad" ? FakeErrors.Status(403) : null;

        await _client.CreateAsync(Widget.Named("good"));
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(Widget.Named("bad")));

        Assert.Equal("Forbidden", e.Reason);
    }
}
