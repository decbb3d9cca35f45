using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Controllers;

/// <summary>
/// The informer's copy of the world: objects by namespace and name, indexed by namespace. Thread-safe. Reads
/// return deep copies, so a caller may change what it gets without corrupting the cache.
/// </summary>
public sealed class InformerCache<T> where T : KubernetesObject
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, T> _items = [];

    /// <summary>Namespace ("" for cluster-scoped) → the keys in it.</summary>
    private readonly Dictionary<string, SortedSet<ObjectKey>> _byNamespace = new(StringComparer.Ordinal);

    public int Count
    {
        get { lock (_lock) return _items.Count; }
    }

    public IReadOnlyList<ObjectKey> Keys
    {
        get
        {
            lock (_lock)
                return _items.Keys.Order().ToList();
        }
    }

    public T? Get(string? ns, string name) => Get(new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, name));

    public T? Get(ObjectKey key)
    {
        lock (_lock)
            return _items.TryGetValue(key, out T? item) ? KubernetesJson.Clone(item) : null;
    }

    /// <summary>Objects in <paramref name="ns"/> (all when null) whose labels match, ordered by key.</summary>
    public IReadOnlyList<T> List(string? ns = null, LabelSelectorExpression? selector = null)
    {
        selector ??= LabelSelectorExpression.Everything;
        lock (_lock)
        {
            IEnumerable<ObjectKey> keys = string.IsNullOrEmpty(ns)
                ? _items.Keys.Order()
                : _byNamespace.TryGetValue(ns, out var inNamespace) ? inNamespace : [];
            return keys.Select(k => _items[k])
                .Where(item => selector.Matches(item.Metadata.Labels))
                .Select(KubernetesJson.Clone)
                .ToList();
        }
    }

    /// <summary>As <see cref="List(string?, LabelSelectorExpression?)"/> with a selector in query form ("app=x,tier in (a)").</summary>
    public IReadOnlyList<T> List(string? ns, string selector) => List(ns, LabelSelectorExpression.Parse(selector));

    /// <summary>Stores <paramref name="item"/>; returns what it replaced.</summary>
    internal T? Upsert(T item)
    {
        ObjectKey key = ObjectKey.Of(item);
        lock (_lock)
        {
            _items.TryGetValue(key, out T? previous);
            _items[key] = item;
            if (previous is null)
                Index(key).Add(key);
            return previous;
        }
    }

    internal T? Remove(ObjectKey key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out T? previous))
                return null;
            SortedSet<ObjectKey> index = Index(key);
            index.Remove(key);
            if (index.Count == 0)
                _byNamespace.Remove(key.Namespace ?? "");
            return previous;
        }
    }

    /// <summary>Replaces the whole content (after a list); returns the keys that disappeared, with their last state.</summary>
    internal (List<T> Added, List<(T Old, T New)> Updated, List<T> Deleted) Replace(IEnumerable<T> items)
    {
        var added = new List<T>();
        var updated = new List<(T, T)>();
        var deleted = new List<T>();
        lock (_lock)
        {
            var fresh = new Dictionary<ObjectKey, T>();
            foreach (T item in items)
                fresh[ObjectKey.Of(item)] = item;
            foreach (var (key, old) in _items.Where(p => !fresh.ContainsKey(p.Key)).ToList())
            {
                Remove(key);
                deleted.Add(old);
            }
            foreach (var (key, item) in fresh)
            {
                T? old = Upsert(item);
                if (old is null)
                    added.Add(item);
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                    updated.Add((old, item));
            }
        }
        return (added, updated, deleted);
    }

    private SortedSet<ObjectKey> Index(ObjectKey key)
    {
        string ns = key.Namespace ?? "";
        if (!_byNamespace.TryGetValue(ns, out var index))
            _byNamespace[ns] = index = [];
        return index;
    }
}
