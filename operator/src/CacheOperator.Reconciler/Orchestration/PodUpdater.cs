using System.Globalization;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Replaces node pods whose template changed, one at a time, only while the cluster is calm (the node StatefulSets
/// use UpdateStrategy OnDelete, so nothing else does). Stateless: every reconcile compares each member pod's
/// controller-revision-hash label with its StatefulSet's status.updateRevision, so an operator restarted mid-update
/// resumes from the pods themselves. Order: standbys, then replicas, then primaries, highest ordinal first. A
/// replica leaves the ring before its pod is deleted; a primary with a tailing replica hands its shard over first
/// (the replica is promoted, the primary becomes the replica and leaves like one); a primary without replicas is
/// deleted and its keys go cold, as with any restart. A pod is deleted only once no ring a router serves lists it
/// as a copy of a shard, so no key-bearing copy is deleted while it is its shard's only whole copy.
/// </summary>
public static class PodUpdater
{
    /// <summary>The label the StatefulSet controller puts on each pod: the revision of the template it was made from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    public const string ReasonUpdatingPods = "UpdatingPods";

    /// <summary>The next pod to update and whether the cluster is calm enough to act on it; promotes for a switchover.</summary>
    public static async Task<PodUpdatePlan> PlanAsync(PodUpdateInput input, IFailoverNodeAdmin promoter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(promoter);
        var assignment = input.Assignment;
        if (assignment is null)
            return PodUpdatePlan.Idle;

        var podsByName = input.Pods.Where(p => p.Metadata.Name is not null).GroupBy(p => p.Metadata.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var revisions = new List<string>();
        var outdated = new List<(PoolAssignment Pool, PoolMember Member)>();
        int total = 0;
        foreach (var each in assignment.Pools)
        {
            input.StatefulSets.TryGetValue(each.Name, out var set);
            string? revision = set?.Status?.UpdateRevision;
            if (set is null || string.IsNullOrEmpty(revision))
                return PodUpdatePlan.Idle;

            // The controller has not yet seen the latest template: its update revision is not the one to reach.
            if (set.Status!.ObservedGeneration is { } observed && set.Metadata.Generation is { } generation && observed < generation)
                return new PodUpdatePlan { Revision = revision, Active = input.WasUpdating, Message = "waiting for the StatefulSet controller to see the new template" };

            revisions.Add(revision);
            foreach (var m in each.Members)
            {
                total++;
                // A pod without the label (not made by a StatefulSet controller) is not judged; an absent one is
                // recreated at the update revision.
                if (podsByName.TryGetValue(m.Pod, out var pod) && pod.Metadata.Labels?.TryGetValue(RevisionLabel, out string? has) == true
                    && has != revision)
                {
                    outdated.Add((each, m));
                }
            }
        }

        string revisionText = string.Join(", ", revisions.Distinct(StringComparer.Ordinal));
        if (outdated.Count == 0 && !input.WasUpdating)
            return PodUpdatePlan.Idle;

        var next = outdated.OrderBy(o => Rank(o.Member.Role)).ThenByDescending(o => o.Member.Ordinal).ThenBy(o => o.Pool.Name, StringComparer.Ordinal)
            .Select(o => ((PoolAssignment Pool, PoolMember Member)?)o).FirstOrDefault();
        bool scaling = input.Scale is { Active: true };
        var plan = new PodUpdatePlan
        {
            Revision = revisionText,
            Updated = total - outdated.Count,
            Total = total,
            Next = next?.Member,
            NextPool = next?.Pool.Name,
            NextUid = next is null ? null : podsByName.GetValueOrDefault(next.Value.Member.Pod)?.Metadata.Uid,
            Active = true,
            // Out of the ring from the start (not only once calm): a demoted primary must never be given a new pull,
            // which would empty it while routers on the previous ring still read it. Not during a scale operation,
            // which judges the replicas' copies itself.
            Leaving = next is { Member.Role: MemberRole.Replica } && !scaling
                ? new HashSet<string>([next.Value.Member.Pod], StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal),
        };

        string? waiting = Unsettled(input, assignment, next?.Member);
        if (waiting is null && !await input.RoutersServeStoredRing(ct).ConfigureAwait(false))
            waiting = "every router serves the stored ring";
        if (next is null)
        {
            // Every pod runs the new revision; the update is over once the cluster is calm again.
            return waiting is null
                ? plan with { Active = false, Message = null }
                : plan with { Message = $"waiting until {waiting}" };
        }

        var (pool, member) = next.Value;
        if (podsByName.GetValueOrDefault(member.Pod)?.Metadata.DeletionTimestamp is not null)
            return plan with { Message = $"{member.Pod} is being deleted; the StatefulSet recreates it at the new revision" };
        if (waiting is not null)
            return plan with { Message = $"next {member.Pod} once {waiting}" };

        if (member.Role != MemberRole.Primary)
            return plan with { MayDelete = true, Message = $"deleting {member.Pod} ({Describe(member)})" };

        var replicas = pool.Members.Where(m => m.Role == MemberRole.Replica && m.Shard == member.Shard).ToList();
        if (replicas.Count == 0)
            return plan with { MayDelete = true, Cold = true, Message = $"deleting {member.Pod} ({Describe(member)}, no replica: its keys go cold)" };

        // A switchover: the least-behind tailing replica is promoted (promote, then store: a ring never routes writes
        // to a read-only node), the primary becomes its replica and leaves the ring like one before it is deleted.
        var successor = replicas.Select(r => (Member: r, Pull: TailingPull(input, pool, r)))
            .Where(r => r.Pull is not null).OrderBy(r => r.Pull!.LagEntries).ThenBy(r => r.Member.Ordinal).Select(r => r.Member).FirstOrDefault();
        if (successor is null)
            return plan with { Message = $"next {member.Pod} once a replica of {member.Shard} tails" };
        string? ip = input.Observed.GetValueOrDefault(successor.Pod)?.IP;
        if (string.IsNullOrEmpty(ip) || !await promoter.PromoteAsync(ip, input.Token, ct).ConfigureAwait(false))
            return plan with { Message = $"next {member.Pod} once its replica {successor.Pod} accepts promotion (retrying)" };

        var members = pool.Members.Select(m => m.Pod == successor.Pod ? m with { Role = MemberRole.Primary }
            : m.Pod == member.Pod ? m with { Role = MemberRole.Replica } : m).ToList();
        var swapped = new MemberAssignment([.. assignment.Pools.Select(p => p.Name == pool.Name ? p with { Members = members } : p)]);
        string scope = pool.Name == "default" ? "" : $"pool {pool.Name}: ";
        return plan with
        {
            Members = swapped,
            Leaving = new HashSet<string>([member.Pod], StringComparer.Ordinal),
            Message = $"{member.Pod} handed {member.Shard} to {successor.Pod}; it is deleted once every router serves the ring without it",
            Events =
            [
                new ScaleEvent(false, "PodUpdateHandover",
                    $"{scope}{member.Pod} (primary of {member.Shard}) is to be updated to revision {revisionText}: its replica {successor.Pod} is promoted and takes {member.Shard} first; {member.Pod} becomes its replica and is deleted once every router serves the ring without it"),
            ],
        };
    }

    /// <summary>The message of the event recorded when the plan's next pod is deleted.</summary>
    public static string DeletedMessage(PodUpdatePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var member = plan.Next!;
        string scope = plan.NextPool == "default" ? "" : $"pool {plan.NextPool}: ";
        string after = member.Role switch
        {
            MemberRole.Standby => "it comes back as an empty standby",
            MemberRole.Replica => $"it comes back empty and copies {member.Shard} from its primary; the next pod waits until that copy tails",
            _ => $"{member.Shard} has no replica, so its keys go cold, as with any restart of the pod",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{scope}deleting {member.Pod} ({Describe(member)}) to update it to revision {plan.Revision} ({plan.Updated}/{plan.Total} updated): {after}");
    }

    /// <summary>The status message: "updating pods to revision X: 3/5 updated; next … once …".</summary>
    public static string StatusMessage(PodUpdatePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return string.Create(CultureInfo.InvariantCulture, $"updating pods to revision {plan.Revision}: {plan.Updated}/{plan.Total} updated")
            + (plan.Message is null ? "" : $"; {plan.Message}");
    }

    /// <summary>Why the cluster is not calm enough to replace a pod (the first reason), or null.</summary>
    private static string? Unsettled(PodUpdateInput input, MemberAssignment assignment, PoolMember? next)
    {
        if (input.Scale is { Active: true } scale)
            return $"the running {scale.Operation} of pool {scale.Pool} finishes";
        foreach (var wanted in input.WantedPools)
        {
            var pool = assignment.Find(wanted.Name);
            if (pool is null || !wanted.SameShape(pool.Topology(wanted.Prefixes)))
                return $"the topology change of pool {wanted.Name} is done";
        }

        if (input.Failover is { } failover && (failover.Steps.Count > 0 || failover.Watching || failover.Held.Count > 0))
            return "failover settles (a primary is not ready or is being replaced)";

        foreach (var pool in assignment.Pools)
        {
            foreach (var member in pool.Members.OrderBy(m => m.Ordinal))
            {
                if (member.ToEmpty == true || member.Retiring == true)
                    return $"standby {member.Pod} is emptied";
                if (input.Observed.GetValueOrDefault(member.Pod) is not { Ready: true })
                    return $"{member.Pod} is Ready";
            }

            foreach (var replica in pool.Members.Where(m => m.Role == MemberRole.Replica && m.Pod != next?.Pod).OrderBy(m => m.Ordinal))
            {
                if (TailingPull(input, pool, replica) is null)
                    return $"{replica.Pod}'s replica stream tails";
            }
        }

        return null;
    }

    /// <summary>The replica's pull from its shard's primary's current address, when Tailing.</summary>
    private static ReplicaPull? TailingPull(PodUpdateInput input, PoolAssignment pool, PoolMember replica)
    {
        var primary = pool.Members.FirstOrDefault(m => m.Role == MemberRole.Primary && m.Shard == replica.Shard);
        string? primaryIP = primary is null ? null : input.Observed.GetValueOrDefault(primary.Pod)?.IP;
        if (string.IsNullOrEmpty(primaryIP))
            return null;
        return input.ReplicaPulls.GetValueOrDefault(replica.Pod)?.FirstOrDefault(p => p.Phase == ReplicaPhases.Tailing && p.SourceIP == primaryIP);
    }

    private static int Rank(MemberRole role) => role switch
    {
        MemberRole.Standby => 0,
        MemberRole.Replica => 1,
        _ => 2,
    };

    private static string Describe(PoolMember member) => member.Role switch
    {
        MemberRole.Primary => $"primary of {member.Shard}",
        MemberRole.Replica => $"replica of {member.Shard}",
        _ => "standby",
    };
}
