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
    private Task<bool>? _routersAnswer;

    /// <param name="listedAsCopies">Pods the stored ring lists as a shard's primary or read copy (<see cref="ListedAsCopies"/>).</param>
    /// <param name="routersServeStoredRing">True when every ready router serves the stored ring or a later one; asked at most once.</param>
    public ReadCopyFence(IReadOnlySet<string> listedAsCopies, Func<CancellationToken, Task<bool>> routersServeStoredRing)
    {
        ArgumentNullException.ThrowIfNull(listedAsCopies);
        ArgumentNullException.ThrowIfNull(routersServeStoredRing);
        _listed = listedAsCopies;
        _routersServeStoredRing = routersServeStoredRing;
    }

    /// <summary>True when no router can be reading from the pod's copy, so it may be dropped.</summary>
    public async Task<bool> MayReplaceAsync(string pod, CancellationToken ct)
    {
        if (_listed.Contains(pod))
            return false;

        // The routers are asked only when some copy is to be replaced, and once per reconcile.
        _routersAnswer ??= _routersServeStoredRing(ct);
        return await _routersAnswer.ConfigureAwait(false);
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

        var hosts = ring.Pools.SelectMany(p => p.Shards).SelectMany(s => s.Replicas.Prepend(s.Primary)).Select(a => a.Host).ToHashSet(StringComparer.Ordinal);
        foreach (var pool in assignment.Pools)
        {
            foreach (var member in pool.Members)
            {
                bool byIP = pods.TryGetValue(member.Pod, out var observed) && !string.IsNullOrEmpty(observed.IP) && hosts.Contains(observed.IP);
                if (byIP || hosts.Contains(names.PodDnsName(pool.Name, member.Ordinal)))
                    listed.Add(member.Pod);
            }
        }

        return listed;
    }
}
