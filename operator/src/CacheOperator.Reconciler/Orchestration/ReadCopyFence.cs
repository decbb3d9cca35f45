using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Says when a replica's copy may be replaced. A new pull first drops what the replica holds, so a router still
/// serving a ring that lists the pod as a copy would read misses from it (a copy-down re-pointing a surplus read
/// copy to another shard, a failover re-pointing the other replicas, a broken stream started over, a primary demoted
/// to replica by a switchover). A copy is replaced only once the ring last stored does not list the pod as a copy of
/// any shard and every ready router serves that ring or a later one; until then the replica waits (<see cref="ReplicaPhases.WaitingForRouters"/>), is left out of the
/// ring this reconcile stores, and a later reconcile, once the routers serve that ring, replaces it.
/// </summary>
public sealed class ReadCopyFence
{
    private readonly IReadOnlySet<string> _listed;
    private readonly Func<CancellationToken, Task<bool>> _routersServeStoredRing;

    /// <param name="listedAsCopies">Pods the stored ring lists as a shard's primary or read copy (<see cref="ListedAsCopies"/>).</param>
    /// <param name="routersServeStoredRing">
    /// True when every ready router serves the stored ring or a later one: the reconcile's one answer, asked only when
    /// some copy is to be replaced.
    /// </param>
    public ReadCopyFence(IReadOnlySet<string> listedAsCopies, Func<CancellationToken, Task<bool>> routersServeStoredRing)
    {
        ArgumentNullException.ThrowIfNull(listedAsCopies);
        ArgumentNullException.ThrowIfNull(routersServeStoredRing);
        _listed = listedAsCopies;
        _routersServeStoredRing = routersServeStoredRing;
    }

    /// <summary>True when no router can be reading from the pod's copy, so it may be dropped.</summary>
    public async Task<bool> MayReplaceAsync(string pod, CancellationToken ct) =>
        !_listed.Contains(pod) && await _routersServeStoredRing(ct).ConfigureAwait(false);

    /// <summary>True when the ring lists the pod anywhere as a copy of a shard (primary or read copy), by IP or DNS name.</summary>
    public static bool ListsAsCopy(CacheRing ring, string? podIP, string podDnsName)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return ring.Pools.SelectMany(p => p.Shards).SelectMany(s => s.Replicas.Prepend(s.Primary))
            .Any(a => a.Host == podDnsName || !string.IsNullOrEmpty(podIP) && a.Host == podIP);
    }

    /// <summary>
    /// The member pods a ring lists as a shard's primary or read copy, found by the addresses the ring planner gives
    /// pods: the pod's IP, or its DNS name while its IP is shared or unknown.
    /// </summary>
    public static IReadOnlySet<string> ListedAsCopies(CacheRing? ring, MemberAssignment? assignment,
        IReadOnlyDictionary<string, ObservedPod> pods, ClusterNames names)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(names);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (ring is null || assignment is null)
            return listed;

        foreach (var pool in assignment.Pools)
        {
            foreach (var member in pool.Members)
            {
                if (ListsAsCopy(ring, pods.GetValueOrDefault(member.Pod)?.IP, names.PodDnsName(pool.Name, member.Ordinal)))
                    listed.Add(member.Pod);
            }
        }

        return listed;
    }
}
