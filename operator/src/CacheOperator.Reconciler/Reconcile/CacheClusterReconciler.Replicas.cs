using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Reconcile;

public sealed partial class CacheClusterReconciler
{
    /// <summary>
    /// The fence for replacing replicas' copies in this reconcile: the pods the stored ring lists as copies, and
    /// whether every ready router serves that ring (no stored ring: no router serves any).
    /// </summary>
    private static ReadCopyFence ReadCopyFenceFor(ClusterNames names, CacheRing? stored, Ring.MemberAssignment? assignment,
        IReadOnlyDictionary<string, ObservedPod> pods, Func<CancellationToken, Task<bool>> routersServeStoredRing) =>
        new(ReadCopyFence.ListedAsCopies(stored, assignment, pods, names),
            ct => stored is null ? Task.FromResult(true) : routersServeStoredRing(ct));

    /// <summary>
    /// Whether every ready router serves the stored ring, asked of the routers at most once however many callers in
    /// the reconcile want it (the read-copy fence, the pod updater); false without a stored ring.
    /// </summary>
    private Func<CancellationToken, Task<bool>> RoutersServeStoredRingOnce(ClusterNames names, CacheRing? stored)
    {
        Task<bool>? answer = null;
        return ct => answer ??= stored is null ? Task.FromResult(false) : RoutersServeAsync(names, stored.Version, ct);
    }

    /// <summary>The ring last stored in the ConfigMap; null when absent or unreadable.</summary>
    private static CacheRing? StoredRing(ConfigMap? ringMap)
    {
        string? json = DataOf(ringMap, RingConfigMapBuilder.RingKey);
        return !string.IsNullOrWhiteSpace(json) && RingDocument.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var ring, out _) ? ring : null;
    }

    /// <summary>True when every ready router answers with this ring version or a later one.</summary>
    private async Task<bool> RoutersServeAsync(ClusterNames names, long version, CancellationToken ct)
    {
        var pods = await world.ListAsync<Pod>(names.Namespace, ClusterLabels.RouterSelector(names.Cluster), ct).ConfigureAwait(false);
        var ready = pods.Select(Observe).Where(p => p.Ready && !string.IsNullOrEmpty(p.IP)).ToList();
        var versions = await Task.WhenAll(ready.Select(p => routers.GetRingVersionAsync(p.IP!, ct))).ConfigureAwait(false);
        return versions.All(v => v >= version);
    }
}
