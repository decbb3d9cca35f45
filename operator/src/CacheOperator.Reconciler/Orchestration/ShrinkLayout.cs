using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Which copies stay when a pool's replicasPerShard or standbys is lowered. The StatefulSet keeps ordinals
/// 0 … S·R'+K'−1 and deletes the rest, so every shard must keep its primary and R'−1 replicas among the kept
/// ordinals: the primary stays if it is kept, else a kept replica with a whole copy is promoted; the other kept
/// replicas stay, whole copies and low ordinals first; every other copy retires (above: deleted; kept: a standby
/// to be emptied). A shard short of copies there is first copied into kept pods no shard needs (<see cref="ShrinkPlan.Copies"/>).
/// Pure, so the orchestrator and the ring planner (which explains a refusal) agree.
/// </summary>
public static class ShrinkLayout
{
    /// <summary>How many pods (ordinals 0 … n−1) the StatefulSet keeps with this shape.</summary>
    public static int KeptPods(PoolAssignment pool, int replicasPerShard, int standbys)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Shards * replicasPerShard + standbys;
    }

    /// <param name="wholeCopies">
    /// Replica pods holding a whole copy of their shard (stream Tailing or Held, pod ready): only those may be
    /// promoted. Null when unknown (every replica counts).
    /// </param>
    public static ShrinkPlan Plan(PoolAssignment pool, int replicasPerShard, int standbys, IReadOnlySet<string>? wholeCopies)
    {
        ArgumentNullException.ThrowIfNull(pool);
        int kept = KeptPods(pool, replicasPerShard, standbys);
        var members = pool.Members.OrderBy(m => m.Ordinal).ToList();
        if (replicasPerShard < 1 || standbys < 0 || replicasPerShard > pool.ReplicasPerShard || kept >= members.Count)
            return ShrinkPlan.Refused("it removes no pod");
        int full = pool.Shards * pool.ReplicasPerShard + pool.Standbys;
        if (members.Count != full || members.Select(m => m.Ordinal).Where((ordinal, i) => ordinal != i).Any())
            return ShrinkPlan.Refused($"the pool does not have its full {full} members in ordinal order, and which pods the StatefulSet would delete is not guessed at");

        string removed = $"the pods the StatefulSet would remove (ordinals {kept} and up)";
        if (replicasPerShard == pool.ReplicasPerShard)
        {
            // Fewer standbys only: nothing may be promoted, so no role may sit above.
            var roles = members.Where(m => m.Ordinal >= kept && m.Shard is not null).ToList();
            if (roles.Count > 0)
            {
                return ShrinkPlan.Refused(
                    $"{string.Join(", ", roles.Select(Describe))} {(roles.Count == 1 ? "sits" : "sit")} among {removed}; moving a role down would need a copy first");
            }
        }

        bool Whole(PoolMember m) => wholeCopies is null || wholeCopies.Contains(m.Pod);
        var during = members.ToList();
        var promotions = new List<ShrinkPromotion>();
        var shards = members.Where(m => m.Role == MemberRole.Primary).Select(m => m.Shard!).Distinct(StringComparer.Ordinal).ToList();
        if (shards.Count != pool.Shards)
            return ShrinkPlan.Refused($"the pool has {shards.Count} primaries for {pool.Shards} shards");

        // A shard short of copies among the kept ordinals is copied down first: nothing retires until that copy tails.
        var copyDown = CopiesDown(members, shards, replicasPerShard, kept, Whole, out string? shortOf);
        if (shortOf is not null)
            return ShrinkPlan.Refused(shortOf);
        if (copyDown.Count > 0)
            return ShrinkPlan.CopyFirst(copyDown);

        foreach (string shard in shards)
        {
            var copies = members.Where(m => m.Shard == shard).ToList();
            var primary = copies.First(m => m.Role == MemberRole.Primary);
            var keptReplicas = copies.Where(m => m.Role == MemberRole.Replica && m.Ordinal < kept).ToList();
            var newPrimary = primary;
            if (primary.Ordinal >= kept)
            {
                // The least disruptive whole copy below takes the shard; the old primary leaves with the pods above.
                var candidate = keptReplicas.Where(Whole).OrderBy(m => m.Ordinal).FirstOrDefault();
                if (candidate is null)
                {
                    return ShrinkPlan.Refused(keptReplicas.Count == 0
                        ? $"every copy of {shard} ({string.Join(", ", copies.Select(m => m.Pod))}) sits among {removed}; lowering would delete its data"
                        : $"{shard}'s primary {primary.Pod} sits among {removed} and its kept replica {string.Join(", ", keptReplicas.Select(m => m.Pod))} holds no whole copy yet (not ready or still copying)");
                }

                newPrimary = candidate;
                promotions.Add(new ShrinkPromotion(shard, newPrimary.Pod, primary.Pod));
            }

            var staying = keptReplicas.Where(m => m != newPrimary).OrderBy(m => Whole(m) ? 0 : 1).ThenBy(m => m.Ordinal)
                .Take(replicasPerShard - 1).ToList();
            if (staying.Count < replicasPerShard - 1)
            {
                return ShrinkPlan.Refused(
                    $"{shard} has only {staying.Count + 1} of its {replicasPerShard} copies among the pods the StatefulSet keeps (ordinals below {kept})");
            }

            staying.Add(newPrimary);
            foreach (var copy in copies)
            {
                int at = during.FindIndex(m => m.Pod == copy.Pod);
                during[at] = copy == newPrimary ? copy with { Role = MemberRole.Primary }
                    : staying.Contains(copy) ? copy
                    : Retire(copy);
            }
        }

        // Standbys above hold no data: they only leave the ring's standby list first.
        for (int i = 0; i < during.Count; i++)
        {
            if (during[i].Ordinal >= kept && during[i].Role == MemberRole.Standby)
                during[i] = Retire(during[i]);
        }

        return new ShrinkPlan(
            pool with { Members = during },
            promotions,
            [.. during.Where(m => m.Ordinal >= kept).Select(m => m.Pod)],
            [.. during.Where(m => m.Ordinal < kept && m.Retiring == true).Select(m => m.Pod)],
            null);
    }

    /// <summary>
    /// The pool once every router serves a ring without the retiring members: exactly the pods the shrunk StatefulSet
    /// keeps, retiring kept pods turned standbys to be emptied first (they hold a copy). Null when a shard's copy sits
    /// above the kept ordinals (a failover during the operation put it there): finishing would delete it.
    /// </summary>
    public static PoolAssignment? After(PoolAssignment pool, int replicasPerShard, int standbys)
    {
        ArgumentNullException.ThrowIfNull(pool);
        int kept = KeptPods(pool, replicasPerShard, standbys);
        if (pool.Members.Any(m => m.Ordinal >= kept && m.Shard is not null))
            return null;
        return pool with
        {
            ReplicasPerShard = replicasPerShard,
            Standbys = standbys,
            Members = [.. pool.Members.Where(m => m.Ordinal < kept).OrderBy(m => m.Ordinal).Select(m => m.Retiring == true
                ? m with { Role = MemberRole.Standby, Shard = null, Retiring = null, ToEmpty = true }
                : m)],
        };
    }

    /// <summary>
    /// Which kept pods copy the shards that have fewer than R' copies among the kept ordinals. A shard keeps (as
    /// <see cref="Plan"/> does) its primary if kept, then its kept replicas with a whole copy first, low ordinals first;
    /// the kept pods no shard keeps are free: surplus replicas (demoted anyway; still-copying ones first, then the
    /// highest ordinals), then standbys (ones to be emptied first: failover never picks them). The counts always fit
    /// a pool at full shape: the kept range holds S·R' + K' pods, so after the copies it still holds K' free pods,
    /// the standbys of the smaller pool. Never a primary, never a copy a shard keeps. Empty when no shard is short.
    /// </summary>
    private static List<ShrinkCopy> CopiesDown(List<PoolMember> members, List<string> shards, int replicasPerShard, int kept,
        Func<PoolMember, bool> whole, out string? refusal)
    {
        refusal = null;
        var free = new List<PoolMember>();
        var missing = new List<(string Shard, int Count, PoolMember Primary)>();
        foreach (string shard in shards)
        {
            var below = members.Where(m => m.Shard == shard && m.Ordinal < kept).ToList();
            bool primaryKept = below.Any(m => m.Role == MemberRole.Primary);
            var keepers = below.Where(m => m.Role == MemberRole.Replica).OrderBy(m => whole(m) ? 0 : 1).ThenBy(m => m.Ordinal)
                .Take(replicasPerShard - (primaryKept ? 1 : 0)).ToList();
            int have = keepers.Count + (primaryKept ? 1 : 0);
            if (have < replicasPerShard)
                missing.Add((shard, replicasPerShard - have, members.First(m => m.Shard == shard && m.Role == MemberRole.Primary)));
            free.AddRange(below.Where(m => m.Role == MemberRole.Replica && !keepers.Contains(m)));
        }

        var copies = new List<ShrinkCopy>();
        if (missing.Count == 0)
            return copies;
        free = [.. free.OrderBy(m => whole(m) ? 1 : 0).ThenByDescending(m => m.Ordinal),
            .. members.Where(m => m.Ordinal < kept && m.Role == MemberRole.Standby && m.Retiring != true)
                .OrderBy(m => m.ToEmpty == true ? 0 : 1).ThenByDescending(m => m.Ordinal)];
        foreach (var (shard, count, primary) in missing)
        {
            for (int i = 0; i < count; i++)
            {
                if (free.Count == 0)
                {
                    refusal = $"{shard} has fewer than {replicasPerShard} copies among the pods the StatefulSet keeps (ordinals below {kept}) and no kept pod is free to copy it";
                    return [];
                }

                var pod = free[0];
                free.RemoveAt(0);
                copies.Add(new ShrinkCopy(pod.Pod, shard, RoleOf(pod), primary.Pod));
            }
        }

        return copies;
    }

    /// <summary>
    /// The pool with each copy's pod a replica of its shard: the replica streams then copy the shard into it (its old
    /// data dropped by the new pull), and the ring lists it for reads only once it tails. Its duty to be emptied goes:
    /// the pull starts from empty anyway, and emptying it later would drop the copy.
    /// </summary>
    public static PoolAssignment WithCopies(PoolAssignment pool, IReadOnlyList<ShrinkCopy> copies)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(copies);
        return pool with
        {
            Members = [.. pool.Members.Select(m => copies.FirstOrDefault(c => c.Pod == m.Pod) is { } copy
                ? m with { Role = MemberRole.Replica, Shard = copy.Shard, ToEmpty = null, Retiring = null }
                : m)],
        };
    }

    /// <summary>"demo-default-3 (replica of shard-1)".</summary>
    public static string Describe(PoolMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Role == MemberRole.Standby ? $"{member.Pod} (standby)" : $"{member.Pod} ({member.Role.ToString().ToLowerInvariant()} of {member.Shard})";
    }

    /// <summary>"standby", "replica of shard-1".</summary>
    internal static string RoleOf(PoolMember member) =>
        member.Role == MemberRole.Standby ? "standby" : $"{member.Role.ToString().ToLowerInvariant()} of {member.Shard}";

    /// <summary>Out of the ring (not a copy, not a standby) until the StatefulSet deletes it or it becomes a standby.</summary>
    public static PoolMember Retire(PoolMember member) =>
        member is null ? throw new ArgumentNullException(nameof(member)) : member with { Role = MemberRole.Standby, Shard = null, ToEmpty = null, Retiring = true };
}
