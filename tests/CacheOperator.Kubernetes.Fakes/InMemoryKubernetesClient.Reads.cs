using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CacheOperator.Controllers;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Fakes;

public sealed partial class InMemoryKubernetesClient
{
    public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken ct = default) where T : KubernetesObject
    {
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        FakeRequest request = Begin(FakeVerb.Get, info, ns, name);
        return Task.FromResult(Run(request, () =>
        {
            lock (_lock)
                return Table(info).TryGetValue(Key(Namespace(info, ns), name), out JsonObject? node) ? FromNode<T>(node) : null;
        }));
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken ct = default)
        where T : KubernetesObject
    {
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        options ??= new ListOptions();
        FakeRequest request = Begin(FakeVerb.List, info, ns, null);
        return Task.FromResult(Run(request, () => List<T>(info, ns, options)));
    }

    private KubernetesList<T> List<T>(ResourceInfo info, string? ns, ListOptions options) where T : KubernetesObject
    {
        LabelSelectorExpression labels = ParseLabels(options.LabelSelector);
        FieldSelector? fields = FieldSelector.Parse(options.FieldSelector);
        string? after = null;
        long listRv;
        lock (_lock)
        {
            listRv = _resourceVersion;
            if (!string.IsNullOrEmpty(options.Continue))
            {
                // The token is "<list resourceVersion>|<last key returned>".
                int bar = options.Continue.IndexOf('|', StringComparison.Ordinal);
                if (bar <= 0 || !long.TryParse(options.Continue[..bar], CultureInfo.InvariantCulture, out listRv))
                    throw FakeErrors.BadRequest($"invalid continue token '{options.Continue}'");
                after = options.Continue[(bar + 1)..];
            }
            string? prefix = info.Namespaced && !string.IsNullOrEmpty(ns) ? ns + "/" : null;
            var matching = Table(info)
                .Where(p => (prefix is null || p.Key.StartsWith(prefix, StringComparison.Ordinal))
                    && (after is null || string.CompareOrdinal(p.Key, after) > 0)
                    && labels.Matches(Labels(p.Value)) && (fields?.Matches(p.Value) ?? true))
                .ToList();
            int take = options.Limit > 0 ? Math.Min(options.Limit, matching.Count) : matching.Count;
            var list = new KubernetesList<T>
            {
                ApiVersion = info.Attribute.ApiVersion,
                Kind = info.Kind + "List",
                Items = matching.Take(take).Select(p => FromNode<T>(p.Value)).ToList(),
            };
            list.Metadata.ResourceVersion = Rv(listRv);
            if (take < matching.Count)
            {
                list.Metadata.Continue = $"{Rv(listRv)}|{matching[take - 1].Key}";
                list.Metadata.RemainingItemCount = matching.Count - take;
            }
            return list;
        }
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, ListOptions options,
        [EnumeratorCancellation] CancellationToken ct = default) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(options);
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        FakeRequest request = Begin(FakeVerb.Watch, info, ns, null);
        Watcher watcher = Run(request, () => Subscribe(info, ns, options));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.TimeoutSeconds is int seconds and > 0)
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await ReadAsync(watcher.Channel.Reader, timeout.Token, ct).ConfigureAwait(false) is WatchItem item)
                yield return new WatchEvent<T>(item.Type, FromNode<T>(item.Object));
        }
        finally
        {
            lock (_lock)
                _watchers.Remove(watcher);
        }
    }

    /// <summary>The next item; null when the stream ends normally (closed by the server, or its timeout).</summary>
    private static async ValueTask<WatchItem?> ReadAsync(ChannelReader<WatchItem> reader, CancellationToken token,
        CancellationToken caller)
    {
        try
        {
            if (await reader.WaitToReadAsync(token).ConfigureAwait(false) && reader.TryRead(out WatchItem item))
                return item;
            return null;
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Registers a watch, first queueing what it must see before live events (atomically, so no gap).</summary>
    private Watcher Subscribe(ResourceInfo info, string? ns, ListOptions options)
    {
        var watcher = new Watcher(info, info.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null,
            ParseLabels(options.LabelSelector), FieldSelector.Parse(options.FieldSelector), options.AllowWatchBookmarks,
            Channel.CreateUnbounded<WatchItem>(new UnboundedChannelOptions { SingleReader = true }));
        lock (_lock)
        {
            if (string.IsNullOrEmpty(options.ResourceVersion) || options.ResourceVersion == "0")
            {
                // No resourceVersion: the current state as synthetic ADDED events, then changes.
                foreach (JsonObject node in Table(info).Values)
                {
                    if (Translate(watcher, new StoredEvent(0, info.Key, MetaString(node, "namespace"),
                        WatchEventType.Added, node, null)) is WatchItem item)
                        watcher.Channel.Writer.TryWrite(item);
                }
            }
            else
            {
                if (!long.TryParse(options.ResourceVersion, CultureInfo.InvariantCulture, out long from))
                    throw FakeErrors.BadRequest($"invalid resourceVersion '{options.ResourceVersion}'");
                if (from < _compactedResourceVersion)
                    throw FakeErrors.Exception(410, "Expired",
                        $"too old resource version: {from} ({_compactedResourceVersion})");
                foreach (StoredEvent e in _history.Where(e => e.ResourceVersion > from))
                {
                    if (Translate(watcher, e) is WatchItem item)
                        watcher.Channel.Writer.TryWrite(item);
                }
            }
            _watchers.Add(watcher);
        }
        return watcher;
    }
}
