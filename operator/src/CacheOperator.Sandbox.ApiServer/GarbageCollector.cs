using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// Deletes dependents by ownerReferences, as kube-controller-manager's garbage collector does in a real
/// cluster. It runs inside the API server process, on the store directly, because the sandbox has no
/// controller-manager and the collector needs a consistent view of every kind at once: one scan under the
/// store's lock sees every uid, which a controller over HTTP would have to rebuild from a watch per kind.
/// </summary>
internal sealed class GarbageCollector : IAsyncDisposable
{
    private readonly ApiCore _core;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public GarbageCollector(ApiCore core, TimeSpan interval)
    {
        _core = core;
        _interval = interval;
        _core.ObjectRemoved += Wake;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The last unexpected failure of a pass, for tests and diagnostics.</summary>
    public Exception? LastError { get; private set; }

    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>One pass: collect orphans, advance foreground deletions. Returns how many objects it changed.</summary>
    public int CollectOnce()
    {
        var changes = 0;
        lock (_core.Store.Gate)
        {
            var all = _core.Store.ScanAll().ToList();
            var uids = all.Select(p => Json.Str(p.Object, "metadata", "uid")).ToHashSet();
            foreach (var (storeKey, obj) in all)
            {
                var metadata = obj["metadata"]!.AsObject();
                var type = TypeOf(storeKey);
                if (type is null)
                {
                    continue;
                }

                var refs = metadata["ownerReferences"] as JsonArray ?? [];
                if (refs.Count > 0 && metadata["deletionTimestamp"] is null
                    && refs.All(r => !uids.Contains(Json.Str(r, "uid"))))
                {
                    changes += TryDelete(type, obj, DeleteOptions.Background);
                    continue;
                }

                var finalizers = metadata["finalizers"] as JsonArray ?? [];
                if (metadata["deletionTimestamp"] is null || !finalizers.Any(f => f?.GetValue<string>() == ApiCore.ForegroundFinalizer))
                {
                    continue;
                }

                var uid = Json.Str(metadata, "uid");
                var blocking = 0;
                foreach (var (dependentKey, dependent) in all)
                {
                    var dependentRefs = dependent["metadata"]?["ownerReferences"] as JsonArray ?? [];
                    var reference = dependentRefs.FirstOrDefault(r => Json.Str(r, "uid") == uid);
                    if (reference is null || TypeOf(dependentKey) is not { } dependentType)
                    {
                        continue;
                    }

                    if (Json.IsTrue(reference["blockOwnerDeletion"]))
                    {
                        blocking++;
                    }

                    if (dependent["metadata"]?["deletionTimestamp"] is null)
                    {
                        changes += TryDelete(dependentType, dependent, DeleteOptions.Foreground);
                    }
                }

                if (blocking == 0)
                {
                    var next = Json.Clone(obj);
                    Json.Metadata(next)["finalizers"] = new JsonArray([.. finalizers
                        .Where(f => f?.GetValue<string>() != ApiCore.ForegroundFinalizer)
                        .Select(f => f?.DeepClone())]);
                    try
                    {
                        _core.Update(type, Json.Str(metadata, "namespace"), Json.Str(metadata, "name")!, next, null, WriteOptions.Default);
                        changes++;
                    }
                    catch (ApiException)
                    {
                        // Removed earlier in this pass.
                    }
                }
            }
        }

        return changes;
    }

    public async ValueTask DisposeAsync()
    {
        _core.ObjectRemoved -= Wake;
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private ResourceType? TypeOf(string storeKey) =>
        _core.Registry.All.FirstOrDefault(t => t.StoreKey == storeKey);

    private int TryDelete(ResourceType type, JsonObject obj, DeleteOptions options)
    {
        try
        {
            _core.DeleteLocked(type, Json.Str(obj, "metadata", "namespace"), Json.Str(obj, "metadata", "name")!, options);
            return 1;
        }
        catch (ApiException)
        {
            // Gone already (removed with its namespace or CRD in this same pass).
            return 0;
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _wake.WaitAsync(_interval, _stop.Token);
            try
            {
                for (var pass = 0; pass < 10 && CollectOnce() > 0; pass++)
                {
                    // Cascades settle within a few passes; the bound keeps a pathological graph from spinning.
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException)
            {
                // A malformed object must not stop collection for everything else; the next pass tries again.
                LastError = e;
            }
        }
    }
}
