using System.Collections.Concurrent;
using CacheOperator.Metrics;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>The reconciler's own metrics (the controller runtime counts reconciles, errors and durations).</summary>
public sealed class ReconcilerMetrics
{
    /// <summary>Clusters seen by a reconcile and not deleted since, by "ns/name".</summary>
    private readonly ConcurrentDictionary<string, byte> _clusters = new(StringComparer.Ordinal);

    public const string PodUpdatesTotal = "cacheoperator_pod_updates_total";

    public const string PodUpdatesHelp = "Node pods deleted by the operator to update them to their StatefulSet's revision.";

    private readonly ICounter _ringPublished;
    private readonly ICounter _podUpdates;
    private readonly ICounter _pushOk;
    private readonly ICounter _pushFailed;
    private readonly IMetricsFactory _factory;

    public ReconcilerMetrics(IMetricsFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _ringPublished = factory.Counter("cacheoperator_ring_publish_total", "Ring versions written to a ring ConfigMap.");
        _pushOk = factory.Counter("cacheoperator_ring_push_total", "Rings pushed to a router's admin endpoint, by result.", ("result", "ok"));
        _pushFailed = factory.Counter("cacheoperator_ring_push_total", "Rings pushed to a router's admin endpoint, by result.", ("result", "error"));
        _podUpdates = factory.Counter(PodUpdatesTotal, PodUpdatesHelp);
        factory.GaugeFunc("cacheoperator_managed_clusters", "CacheClusters this operator manages.", () => _clusters.Count);
    }

    /// <summary>Where other parts of the reconciler (failover) register their metrics.</summary>
    public IMetricsFactory Factory => _factory;

    public void RingPublished() => _ringPublished.Inc();

    public void PodUpdated() => _podUpdates.Inc();

    public void RingPushed(bool ok) => (ok ? _pushOk : _pushFailed).Inc();

    public void ObjectApplied(string kind) =>
        _factory.Counter("cacheoperator_objects_applied_total", "Owned objects created or updated by server-side apply, by kind.", ("kind", kind)).Inc();

    public void ClusterSeen(string key) => _clusters.TryAdd(key, 0);

    public void ClusterGone(string key) => _clusters.TryRemove(key, out _);
}
