using System.Collections.Concurrent;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Keeps every ready replica (members.json role replica of shard S) streaming from S's current primary: exactly one
/// replica-mode pull of every bucket, from the primary's current IP. Stateless: each reconcile reads the replicas'
/// pulls from the nodes, adopts a matching one, stops the rest (an old primary's, a broken one), and starts what is
/// missing. A replica whose primary is not ready is left as it is: its data may be the shard's only copy, and
/// failover decides what happens to it. A copy is replaced (a new pull drops what the replica holds) only when no
/// router may still read from it (<see cref="ReadCopyFence"/>).
/// </summary>
public sealed class ReplicaStreams(IReplicaNodeAdmin nodes)
{
    /// <summary>
    /// How long a Held stream (broken after it was in sync) is left alone although its primary looks ready. Starting
    /// it over empties the replica, and a primary whose process was just killed and restarted empty can look ready
    /// at its old IP before the kubelet reports the restart: the replica then holds the shard's only copy, and
    /// failover must see the restart and promote it first. Past the grace the primary has evidently kept its data.
    /// </summary>
    public static readonly TimeSpan HeldGrace = TimeSpan.FromSeconds(10);

    /// <summary>When this operator first saw each Held pull (replica pod / pull id); an operator restart only waits longer.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _heldSince = new(StringComparer.Ordinal);

    public IReplicaNodeAdmin Nodes { get; set; } = nodes;

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The replica pulls of every ready replica that answered, by pod name.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>>> ObserveAsync(
        MemberAssignment? assignment, IReadOnlyDictionary<string, ObservedPod> pods, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var result = new Dictionary<string, IReadOnlyList<ReplicaPull>>(StringComparer.Ordinal);
        if (assignment is null)
            return result;
        var replicas = assignment.Pools.SelectMany(p => p.Members).Where(m => m.Role == MemberRole.Replica)
            .Select(m => (m.Pod, IP: ReadyIP(pods, m.Pod))).Where(r => r.IP is not null).ToList();
        var answers = await Task.WhenAll(replicas.Select(r => Nodes.GetReplicaPullsAsync(r.IP!, token, ct))).ConfigureAwait(false);
        for (int i = 0; i < replicas.Count; i++)
        {
            if (answers[i] is { } pulls)
                result[replicas[i].Pod] = pulls;
        }

        return result;
    }

    /// <summary>
    /// The pulls that copy each replica's own shard. A pull from a pod of another shard is left out: a replica moved
    /// to another shard (a copy-down) keeps its old pull until no router reads from it (<see cref="ReadCopyFence"/>),
    /// and that copy must not be promoted for its new shard nor counted as a copy of it.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> OfOwnShards(MemberAssignment? assignment,
        IReadOnlyDictionary<string, ObservedPod> pods, IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> observed)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(observed);
        if (assignment is null)
            return observed;

        var result = new Dictionary<string, IReadOnlyList<ReplicaPull>>(observed, StringComparer.Ordinal);
        foreach (var pool in assignment.Pools)
        {
            var shardAt = ShardsByIP(pool, pods);
            foreach (var replica in pool.Members.Where(m => m.Role == MemberRole.Replica && m.Shard is not null))
            {
                if (observed.TryGetValue(replica.Pod, out var pulls))
                    result[replica.Pod] = OwnShard(pulls, replica.Shard!, shardAt);
            }
        }

        return result;
    }

    /// <summary>The shard of each member pod's current IP.</summary>
    private static Dictionary<string, string> ShardsByIP(PoolAssignment pool, IReadOnlyDictionary<string, ObservedPod> pods)
    {
        var shardAt = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in pool.Members.Where(m => m.Shard is not null))
        {
            if (pods.TryGetValue(member.Pod, out var pod) && !string.IsNullOrEmpty(pod.IP))
                shardAt.TryAdd(pod.IP, member.Shard!);
        }

        return shardAt;
    }

    private static ReplicaPull[] OwnShard(IReadOnlyList<ReplicaPull> pulls, string shard, Dictionary<string, string> shardAt) =>
        [.. pulls.Where(p => !shardAt.TryGetValue(p.SourceIP, out string? other) || other == shard)];

    /// <summary>Brings each replica's stream to its shard's current primary; what each replica now shows, and the events to record.</summary>
    /// <param name="leaving">
    /// Replicas the pod updater is about to delete (<see cref="PodUpdater"/>): left out of the ring, their pulls left
    /// as they are (failover may still promote one with a whole copy) and none started (a new pull would drop what a
    /// demoted primary holds while routers on the previous ring still read it).
    /// </param>
    public async Task<(IReadOnlyList<ReplicaState> Replicas, IReadOnlyList<ScaleEvent> Events)> SyncAsync(
        MemberAssignment? assignment, IReadOnlyDictionary<string, ObservedPod> pods,
        IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> observed, ReadCopyFence fence, string token, CancellationToken ct,
        IReadOnlySet<string>? leaving = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(fence);
        var states = new List<ReplicaState>();
        var events = new List<ScaleEvent>();
        if (assignment is null)
            return (states, events);

        foreach (var pool in assignment.Pools)
        {
            var shardAt = ShardsByIP(pool, pods);
            foreach (var replica in pool.Members.Where(m => m.Role == MemberRole.Replica && m.Shard is not null).OrderBy(m => m.Ordinal))
            {
                var primary = pool.Members.FirstOrDefault(m => m.Role == MemberRole.Primary && m.Shard == replica.Shard);
                states.Add(await SyncOneAsync(pool.Name, replica, primary, pods, observed, shardAt, fence, token, events, leaving?.Contains(replica.Pod) == true, ct).ConfigureAwait(false));
            }
        }

        return (states, events);
    }

    private async Task<ReplicaState> SyncOneAsync(string pool, PoolMember replica, PoolMember? primary, IReadOnlyDictionary<string, ObservedPod> pods,
        IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> observed, Dictionary<string, string> shardAt, ReadCopyFence fence,
        string token, List<ScaleEvent> events, bool leaving, CancellationToken ct)
    {
        string shard = replica.Shard!;
        ReplicaState State(string phase, long lag = 0) => new(pool, shard, replica.Pod, primary?.Pod, phase, lag);
        string? replicaIP = ReadyIP(pods, replica.Pod);
        if (replicaIP is null)
            return State(ReplicaPhases.WaitingForPod);

        // A pod that became a replica in this reconcile (a restarted primary) was not observed before.
        var pulls = observed.GetValueOrDefault(replica.Pod) ?? await Nodes.GetReplicaPullsAsync(replicaIP, token, ct).ConfigureAwait(false);
        if (pulls is null)
            return State(ReplicaPhases.Unreachable);

        // What it shows is its copy of this shard: a pull from another shard's pod (a copy-down moved it here) is
        // only kept until the routers let it go.
        var own = OwnShard(pulls, shard, shardAt);
        if (leaving)
            return State(ReplicaPhases.LeavingForUpdate, own.OrderByDescending(p => p.HoldsShard).FirstOrDefault()?.LagEntries ?? 0);

        string? primaryIP = primary is null ? null : ReadyIP(pods, primary.Pod);
        if (primaryIP is null)
        {
            // Keep whatever it holds: failover may promote it.
            var current = own.OrderByDescending(p => p.HoldsShard).FirstOrDefault();
            return current is null ? State(ReplicaPhases.WaitingForPrimary) : State(current.Phase, current.LagEntries);
        }

        var keep = pulls.FirstOrDefault(p => p.SourceIP == primaryIP && p.Phase is not (ReplicaPhases.Stopped or ReplicaPhases.Held));
        ForgetHeldExcept(replica.Pod, pulls);
        if (keep is null && pulls.FirstOrDefault(p => p.SourceIP == primaryIP && p.Phase == ReplicaPhases.Held) is { } held)
        {
            var now = Time.GetUtcNow();
            var since = _heldSince.GetOrAdd(HeldKey(replica.Pod, held.Id), now);
            if (now - since < HeldGrace)
                return State(held.Phase, held.LagEntries);
        }

        // A new pull drops the copy: not while a router may still read from it. The old pull keeps it up to date
        // until then (or keeps it as it was, its source gone); the ring stored now leaves the replica out. A replica
        // without any pull may hold a copy too: a primary demoted by a switchover or a lowering.
        if (keep is null && !await fence.MayReplaceAsync(replica.Pod, ct).ConfigureAwait(false))
        {
            var current = own.OrderByDescending(p => p.HoldsShard).FirstOrDefault();
            return State(ReplicaPhases.WaitingForRouters, current?.LagEntries ?? 0);
        }

        var stale = pulls.Where(p => p != keep).ToList();
        foreach (var pull in stale)
        {
            // Two pulls of every bucket would fight over the same keys: nothing starts until the old one is gone.
            if (!await Nodes.StopPullAsync(replicaIP, pull.Id, token, ct).ConfigureAwait(false))
                return State(ReplicaPhases.Unreachable);
        }

        if (keep is not null)
            return State(keep.Phase, keep.LagEntries);

        string? id = await Nodes.StartReplicaPullAsync(replicaIP, primaryIP, token, ct).ConfigureAwait(false);
        if (id is null)
            return State(ReplicaPhases.Unreachable);

        string scope = pool == "default" ? "" : $"pool {pool}: ";
        var moved = stale.FirstOrDefault(p => p.SourceIP != primaryIP);
        var broken = stale.FirstOrDefault(p => p.SourceIP == primaryIP);
        events.Add(moved is not null
            ? new ScaleEvent(false, "ReplicaRepointed", $"{scope}replica {replica.Pod} of {shard} now streams from primary {primary!.Pod} ({primaryIP}); it streamed from {moved.SourceIP}")
            : broken is not null
                ? new ScaleEvent(true, "ReplicaStreamRestarted", $"{scope}replica {replica.Pod} of {shard}: its stream from {primary!.Pod} was {broken.Phase} ({broken.LastError ?? "no reason given"}); starting over from a fresh copy")
                : new ScaleEvent(false, "ReplicaStreamStarted", $"{scope}replica {replica.Pod} of {shard} streams from primary {primary!.Pod} ({primaryIP})"));
        return State("Connecting");
    }

    private void ForgetHeldExcept(string pod, IReadOnlyList<ReplicaPull> pulls)
    {
        foreach (var key in _heldSince.Keys.Where(k => k.StartsWith(pod + "/", StringComparison.Ordinal)))
        {
            if (!pulls.Any(p => p.Phase == ReplicaPhases.Held && HeldKey(pod, p.Id) == key))
                _heldSince.TryRemove(key, out _);
        }
    }

    private static string HeldKey(string pod, string pullId) => pod + "/" + pullId;

    private static string? ReadyIP(IReadOnlyDictionary<string, ObservedPod> pods, string pod) =>
        pods.TryGetValue(pod, out var observed) && observed.Ready && !string.IsNullOrEmpty(observed.IP) ? observed.IP : null;
}
