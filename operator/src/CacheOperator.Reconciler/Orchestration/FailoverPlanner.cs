using System.Globalization;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Decides, from the durable member assignment and the pods, which shards change primary. Pure: the decision is
/// derived afresh each reconcile, and once the changed assignment is stored (members.json) the same pods give no
/// further step, so a restarted operator repeats nothing.
/// </summary>
public static class FailoverPlanner
{
    public static FailoverDecision Plan(
        MemberAssignment assignment, IReadOnlyDictionary<string, FailoverPod> pods, FailoverSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(settings);
        var threshold = TimeSpan.FromSeconds(settings.NotReadyThresholdSeconds);
        var steps = new List<FailoverStep>();
        var held = new List<string>();
        bool suspended = false, watching = false;
        var pools = new List<PoolAssignment>(assignment.Pools.Count);

        foreach (var pool in assignment.Pools)
        {
            var members = pool.Members.ToList();
            bool IsReady(PoolMember m) => pods.TryGetValue(m.Pod, out var p) && p.Ready;

            // Healthy: Ready and answering the operator's own probe. Only healthy pods take a shard or count for the
            // safety bound: a pod the operator cannot reach is no better a successor than one that is not Ready.
            bool IsHealthy(PoolMember m) => IsReady(m) && pods[m.Pod].ProbeFailingSince is null;
            TimeSpan? ProbeFailingFor(PoolMember m) =>
                pods.TryGetValue(m.Pod, out var p) && p.Ready && p.ProbeFailingSince is { } since ? now - since : null;
            TimeSpan? NotReadyFor(PoolMember m) =>
                pods.TryGetValue(m.Pod, out var p) ? p.Ready ? null : now - (p.NotReadySince ?? now) : null;
            ReplicaPull? StreamOf(PoolMember m) => pods.TryGetValue(m.Pod, out var p) ? p.Stream : null;

            // Only a replica whose copy is whole may be promoted: tailing its primary, or held since it stopped
            // (a replica still taking its first snapshot holds a part of the shard). Least behind first.
            List<PoolMember> Copies(string shard) => [.. members
                .Where(m => m.Role == MemberRole.Replica && m.Shard == shard && IsHealthy(m) && StreamOf(m) is { HoldsShard: true })
                .OrderBy(m => StreamOf(m)!.LagEntries).ThenBy(m => m.Ordinal)];

            // A replica's stream dates a copy of this primary only when it pulls from this primary: one from another
            // member's address (the shard's former primary after a switchover or a failover, not yet re-pointed) began
            // before this primary's pod was made, and says nothing of its restarts. An address no member has is taken
            // for the primary's own former one (its pod recreated with a new IP).
            bool CopiesFrom(PoolMember replica, PoolMember primary) =>
                !pods.Values.Any(p => p.Name != primary.Pod && !string.IsNullOrEmpty(p.IP) && p.IP == StreamOf(replica)!.SourceIP);

            var failed = new List<(PoolMember Primary, TimeSpan For, PoolMember? RestartedCopy, bool Probe)>();
            foreach (var primary in members.Where(m => m.Role == MemberRole.Primary).OrderBy(m => m.Ordinal))
            {
                // A primary whose process restarted after a replica began copying it is empty, ready or not: the
                // replica holds the shard, and waiting for the threshold would only serve misses meanwhile.
                var restartedCopy = pods.TryGetValue(primary.Pod, out var observed) && observed.ProcessChangedAt is { } changed
                    ? Copies(primary.Shard!).FirstOrDefault(r => CopiesFrom(r, primary) && StreamOf(r)!.StartedAt is { } started && Seconds(changed) > Seconds(started))
                    : null;
                if (restartedCopy is not null)
                {
                    watching = true;
                    failed.Add((primary, NotReadyFor(primary) ?? TimeSpan.Zero, restartedCopy, false));
                    continue;
                }

                if (IsReady(primary))
                {
                    // Ready by the kubelet, but not answering the operator: a frozen process whose readiness probe has
                    // not failed yet, or a partition between the operator and the node. Same threshold.
                    if (ProbeFailingFor(primary) is { } probeFailing)
                    {
                        watching = true;
                        if (probeFailing >= threshold)
                            failed.Add((primary, probeFailing, null, true));
                    }

                    continue;
                }

                watching = true;

                // A pod the operator has no record of at all counts from now: it is remembered by the caller.
                var notReadyFor = NotReadyFor(primary) ?? TimeSpan.Zero;
                if (notReadyFor >= threshold)
                    failed.Add((primary, notReadyFor, null, false));
            }

            // A cluster that never ran has pods still starting, not failed.
            if (failed.Count == 0 || !settings.Enabled || !settings.ClusterWasRunning)
            {
                pools.Add(pool);
                continue;
            }

            // Safety bound: with fewer than half the pool's pods ready, the likelier cause is the whole cluster (or
            // the operator's view of it) being sick, and moving shards would only spread the damage.
            // A pod failing the operator's probe counts as not ready here: an operator cut off from most nodes must
            // not hand their shards to standbys it cannot reach either.
            int ready = members.Count(IsHealthy);
            if (ready * 2 < members.Count)
            {
                suspended = true;
                held.Add(string.Create(CultureInfo.InvariantCulture,
                    $"failover suspended in pool {pool.Name}: only {ready} of {members.Count} pods are ready and answer the operator's probe (at least half must be)"));
                pools.Add(pool);
                continue;
            }

            foreach (var (primary, notReadyFor, restartedCopy, probe) in failed)
            {
                string shard = primary.Shard!;
                if (restartedCopy is not null)
                {
                    // Roles swap: the restarted pod is empty, so as the shard's replica it simply copies it again.
                    Replace(members, restartedCopy, restartedCopy with { Role = MemberRole.Primary });
                    Replace(members, primary, primary with { Role = MemberRole.Replica });
                    steps.Add(new FailoverStep(pool.Name, shard, primary.Pod, restartedCopy.Pod, true, notReadyFor, Restarted: true));
                    continue;
                }

                // A standby still to be emptied may hold a shard's stale values: it never takes one; nor does a member
                // on its way out (a lowering of replicasPerShard or standbys is deleting it or will empty it).
                var replica = Copies(shard).FirstOrDefault();
                var successor = replica ?? members.Where(m => m.Role == MemberRole.Standby && m.ToEmpty != true && m.Retiring != true && IsHealthy(m))
                    .OrderBy(m => m.Ordinal).FirstOrDefault();
                if (successor is null)
                {
                    held.Add($"shard {shard} of pool {pool.Name} has no ready replica or standby to take over from {primary.Pod}");
                    continue;
                }

                Replace(members, successor, successor with { Role = MemberRole.Primary, Shard = shard, ToEmpty = null });
                Replace(members, primary, primary with { Role = MemberRole.Standby, Shard = null, ToEmpty = true });
                steps.Add(new FailoverStep(pool.Name, shard, primary.Pod, successor.Pod, replica is not null, notReadyFor, ProbeFailed: probe));
            }

            pools.Add(pool with { Members = members });
        }

        return new FailoverDecision
        {
            Assignment = steps.Count > 0 ? new MemberAssignment(pools) : assignment,
            Steps = steps,
            Changed = steps.Count > 0,
            Held = held,
            Suspended = suspended,
            Watching = watching && settings.Enabled && settings.ClusterWasRunning,
            DecidedAt = now,
        };
    }

    /// <summary>Kubernetes reports times in whole seconds; the node's are finer. Compared at the coarser grain.</summary>
    private static long Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private static void Replace(List<PoolMember> members, PoolMember old, PoolMember replacement) =>
        members[members.FindIndex(m => m.Pod == old.Pod)] = replacement;
}
