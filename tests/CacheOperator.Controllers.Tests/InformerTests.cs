using System.Collections.Concurrent;
using System.Globalization;
using CacheOperator.Kubernetes.Fakes;

namespace CacheOperator.Controllers.Tests;

public sealed class InformerTests : IAsyncDisposable
{
    private static readonly InformerOptions Fast = new()
    {
        InitialRelistDelay = TimeSpan.FromMilliseconds(20),
        MaxRelistDelay = TimeSpan.FromMilliseconds(200),
    };

    private readonly InMemoryKubernetesClient _client = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly ConcurrentQueue<string> _events = new();
    private Task? _run;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task<Informer<Widget>> StartAsync(InformerOptions? options = null)
    {
        var informer = new Informer<Widget>(_client, options ?? Fast);
        informer.AddHandler(new InformerHandler<Widget>(
            OnAdd: w => _events.Enqueue($"add {w.Metadata.Name}"),
            OnUpdate: (_, w) => _events.Enqueue($"update {w.Metadata.Name}"),
            OnDelete: w => _events.Enqueue($"delete {w.Metadata.Name}")));
        _run = informer.RunAsync(_stop.Token);
        await informer.WaitForSyncAsync(_stop.Token);
        await Eventually.TrueAsync(() => _client.OpenWatchCount > 0, "the informer watches");
        return informer;
    }

    private string[] Events() => [.. _events];

    [Fact]
    public async Task Informer_SyncsExistingObjects_ThenFollowsChanges()
    {
        await _client.CreateAsync(Widget.Named("a"));
        await _client.CreateAsync(Widget.Named("b", ns: "other"));

        Informer<Widget> informer = await StartAsync();
        Assert.True(informer.HasSynced);
        Assert.Equal(2, informer.Cache.Count);

        await _client.CreateAsync(Widget.Named("c"));
        Widget a = (await _client.GetAsync<Widget>("default", "a"))!;
        a.Spec.Size = 42;
        await _client.ReplaceAsync(a);
        await _client.DeleteAsync<Widget>("other", "b");

        await Eventually.TrueAsync(() => Events().Length == 5, "five events");
        Assert.Equal(["add a", "add b", "add c", "update a", "delete b"], Events());
        Assert.Equal(42, informer.Cache.Get("default", "a")!.Spec.Size);
        Assert.Null(informer.Cache.Get("other", "b"));
        Assert.Equal(["a", "c"], informer.Cache.List("default").Select(w => w.Metadata.Name));
    }

    [Fact]
    public async Task Informer_ListsInPages()
    {
        for (int i = 0; i < 5; i++)
            await _client.CreateAsync(Widget.Named($"w{i}"));

        Informer<Widget> informer = await StartAsync(Fast with { PageSize = 2 });

        Assert.Equal(5, informer.Cache.Count);
        Assert.Equal(3, _client.Requests.Count(r => r.Verb == FakeVerb.List));
    }

    [Fact]
    public async Task Cache_ListsByLabelSelector_AndHandsOutCopies()
    {
        await _client.CreateAsync(Widget.Named("a", labels: new Dictionary<string, string> { ["pool"] = "hot" }));
        await _client.CreateAsync(Widget.Named("b", labels: new Dictionary<string, string> { ["pool"] = "cold" }));
        await _client.CreateAsync(Widget.Named("c", ns: "x", labels: new Dictionary<string, string> { ["pool"] = "hot" }));
        Informer<Widget> informer = await StartAsync();

        var hotEverywhere = informer.Cache.List(null, "pool=hot");
        var hotHere = informer.Cache.List("default", "pool=hot");
        hotHere[0].Spec.Size = 999;

        Assert.Equal(["a", "c"], hotEverywhere.Select(w => w.Metadata.Name));
        Assert.Equal(["a"], hotHere.Select(w => w.Metadata.Name));
        Assert.Equal(1, informer.Cache.Get("default", "a")!.Spec.Size);
    }

    [Fact]
    public async Task Informer_WithNamespace_SeesOnlyThatNamespace()
    {
        await _client.CreateAsync(Widget.Named("a", ns: "mine"));
        await _client.CreateAsync(Widget.Named("b", ns: "theirs"));

        Informer<Widget> informer = await StartAsync(Fast with { Namespace = "mine" });
        await _client.CreateAsync(Widget.Named("c", ns: "theirs"));
        await _client.CreateAsync(Widget.Named("d", ns: "mine"));

        await Eventually.TrueAsync(() => informer.Cache.Count == 2, "d arrives");
        Assert.Equal([new ObjectKey("mine", "a"), new ObjectKey("mine", "d")], informer.Cache.Keys);
    }

    [Fact]
    public async Task WatchEndingNormally_IsResumedFromLastResourceVersion_WithoutRelist()
    {
        Informer<Widget> informer = await StartAsync();
        await _client.CreateAsync(Widget.Named("a"));
        await Eventually.TrueAsync(() => informer.Cache.Count == 1, "a arrives");

        _client.CloseWatches();
        await _client.CreateAsync(Widget.Named("b"));

        await Eventually.TrueAsync(() => informer.Cache.Count == 2, "b arrives after the re-watch");
        Assert.Equal(1, informer.ListCount);
        Assert.Equal(["add a", "add b"], Events());
    }

    [Fact]
    public async Task Expired_ResourceVersion_Relists_AndReportsDeleteMissedMeanwhile()
    {
        await _client.CreateAsync(Widget.Named("a"));
        await _client.CreateAsync(Widget.Named("b"));
        Informer<Widget> informer = await StartAsync();

        // Hold the informer's next watch request at the door while "b" goes and the history is compacted,
        // so the only way it can learn of the delete is the re-list after 410.
        using var door = new ManualResetEventSlim(false);
        using var knocked = new ManualResetEventSlim(false);
        _client.Interceptor = r =>
        {
            if (r.Verb == FakeVerb.Watch && !door.IsSet)
            {
                knocked.Set();
                door.Wait(TimeSpan.FromSeconds(20));
            }
            return null;
        };
        _client.CloseWatches();
        Assert.True(knocked.Wait(TimeSpan.FromSeconds(20)), "the informer re-watches");
        await _client.DeleteAsync<Widget>("default", "b");
        await _client.CreateAsync(Widget.Named("c"));
        _client.ExpireHistory();
        door.Set();

        await Eventually.TrueAsync(() => informer.ListCount == 2 && informer.Cache.Count == 2, "re-list after 410");
        Assert.Equal(["a", "c"], informer.Cache.List().Select(w => w.Metadata.Name));
        Assert.Contains("delete b", Events());
        Assert.Contains("add c", Events());
        Assert.Contains(_client.Requests, r => r.Verb == FakeVerb.Watch && r.Error?.Code == 410);
    }

    [Fact]
    public async Task WatchErrorEvent_Relists()
    {
        await _client.CreateAsync(Widget.Named("a"));
        Informer<Widget> informer = await StartAsync();

        _client.CloseWatches(FakeErrors.Status(410, "Expired", "too old resource version"));

        await Eventually.TrueAsync(() => informer.ListCount == 2, "re-list after an ERROR event");
        Assert.Equal(1, informer.Cache.Count);
    }

    [Fact]
    public async Task FailingList_IsRetriedWithBackoff_UntilItSyncs()
    {
        await _client.CreateAsync(Widget.Named("a"));
        _client.FailNext(FakeVerb.List, 3, 503);

        Informer<Widget> informer = await StartAsync();

        Assert.Equal(1, informer.Cache.Count);
        var lists = _client.Requests.Where(r => r.Verb == FakeVerb.List).ToList();
        Assert.Equal(4, lists.Count);
        // Delays start at 20 ms and double: the gaps cannot be shorter than 20, 40, 80 ms.
        for (int i = 1; i < lists.Count; i++)
        {
            TimeSpan gap = lists[i].Time - lists[i - 1].Time;
            Assert.True(gap >= TimeSpan.FromMilliseconds(20 << (i - 1)) - TimeSpan.FromMilliseconds(2), $"gap {i} was {gap}");
        }
    }

    [Fact]
    public async Task Bookmark_AdvancesResourceVersion()
    {
        Informer<Widget> informer = await StartAsync(Fast with { Namespace = "watched" });
        await _client.CreateAsync(Widget.Named("elsewhere", ns: "unwatched"));
        string current = _client.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture);
        Assert.NotEqual(current, informer.LastResourceVersion);

        _client.SendBookmarks();

        await Eventually.TrueAsync(() => informer.LastResourceVersion == current, "the bookmark's resourceVersion");
        Assert.Empty(Events());
    }

    [Fact]
    public async Task ThrowingHandler_DoesNotStopTheInformer()
    {
        var informer = new Informer<Widget>(_client, Fast);
        informer.AddHandler(new InformerHandler<Widget>(OnAdd: _ => throw new InvalidOperationException("boom")));
        informer.AddHandler(new InformerHandler<Widget>(OnAdd: w => _events.Enqueue(w.Metadata.Name!)));
        _run = informer.RunAsync(_stop.Token);
        await informer.WaitForSyncAsync(_stop.Token);

        await _client.CreateAsync(Widget.Named("a"));
        await _client.CreateAsync(Widget.Named("b"));

        await Eventually.TrueAsync(() => Events().Length == 2, "both adds reach the second handler");
        Assert.Throws<InvalidOperationException>(() => informer.AddHandler(new InformerHandler<Widget>()));
    }
}
