using System.Globalization;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Lowering replicasPerShard or standbys on the same state machine: no bucket moves, so it starts at Publishing
/// with the leaving members already out of the ring (members.json marks them retiring, promoted replicas are
/// primaries), waits for every router to serve that ring, then ends the retiring replicas' streams and shrinks the
/// pool's members, which is what lets the StatefulSet delete the highest ordinals. A shard short of copies among
/// the kept ordinals is first copied into a kept pod no shard needs (phase CopyingDown).
/// </summary>
public sealed partial class ScaleOrchestrator
{
    /// <summary>Promotes a replica that takes over a shard whose primary sits above the kept ordinals.</summary>
    public IFailoverNodeAdmin? Promoter { get; init; }

    /// <summary>Ends the replica streams of the copies that leave.</summary>
    public IReplicaNodeAdmin? ReplicaNodes { get; init; }

    /// <summary>
    /// A pool whose spec asks for fewer copies per shard (or, with the same copies, fewer standbys) starts a
    /// lowering, when its layout allows one (<see cref="ShrinkLayout.Plan"/>; otherwise the ring planner says why):
    /// at CopyingDown when a shard must be copied down first, else at Publishing. Null when nothing starts.
    /// </summary>
    private async Task<ScaleStep?> TryLowerAsync(ScaleContext context, MemberAssignment assignment, CacheRing ring, List<ScaleEvent> events, CancellationToken ct)
    {
        foreach (var wanted in context.WantedPools)
        {
            var current = assignment.Find(wanted.Name);
            var table = ring.FindPool(wanted.Name)?.Table;
            bool replicas = current is not null && wanted.ReplicasPerShard < current.ReplicasPerShard;
            bool standbys = current is not null && wanted.ReplicasPerShard == current.ReplicasPerShard && wanted.Standbys < current.Standbys;
            if (current is null || table is null || !replicas && !standbys)
                continue;

            // One change at a time: fewer copies with the standbys kept, then (a second operation) the standbys.
            int standbysAfter = replicas ? current.Standbys : wanted.Standbys;
            var plan = ShrinkLayout.Plan(current, wanted.ReplicasPerShard, standbysAfter, context.WholeCopies ?? new HashSet<string>());
            var operation = new ScaleOperation
            {
                Operation = replicas ? ScaleOperation.RemoveReplicas : ScaleOperation.RemoveStandbys,
                Pool = wanted.Name,
                FromShards = [.. table.Shards],
                ToShards = [.. table.Shards],
                FromReplicasPerShard = current.ReplicasPerShard,
                ToReplicasPerShard = wanted.ReplicasPerShard,
                FromStandbys = current.Standbys,
                ToStandbys = standbysAfter,
                StartedAt = context.Now,
            };
            if (plan.Copies is { Count: > 0 } copies)
                return CopyFirst(operation, assignment, current, copies, events);
            if (plan.During is null)
                continue;
            return await StartRemovalAsync(operation, assignment, plan, context, events, ct).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// Shards short of copies among the kept ordinals: the chosen kept pods become their replicas in members.json, and
    /// the replica streams copy the shards into them (the ring lists them for reads once they tail). Nothing leaves
    /// the ring until every copy tails (<see cref="CopyDownAsync"/>).
    /// </summary>
    private static ScaleStep CopyFirst(ScaleOperation operation, MemberAssignment assignment, PoolAssignment pool, IReadOnlyList<ShrinkCopy> copies, List<ScaleEvent> events) =>
        new(StartCopies(operation, assignment, pool, copies, events).ToJson(), operation.ToJson(), operation, events);

    /// <summary>The operation at CopyingDown with these copies, and the members naming each copy's pod its shard's replica.</summary>
    private static MemberAssignment StartCopies(ScaleOperation operation, MemberAssignment assignment, PoolAssignment pool, IReadOnlyList<ShrinkCopy> copies, List<ScaleEvent> events)
    {
        operation.Phase = ScalePhase.CopyingDown;
        operation.Copies = [.. operation.Copies, .. copies];
        operation.Message = "copying " + string.Join("; ", copies.Select(c => $"{c.Shard} into {c.Pod} from {c.Source}: stream not started yet"));
        events.Add(new ScaleEvent(false, "ShardCopyMoved",
            $"{Scope(operation.Pool)}{operation.Change}: {string.Join("; ", copies.Select(c => $"{c.Pod} ({c.Was}) becomes a replica of {c.Shard} and copies it from {c.Source}"))}; nothing leaves the ring until {(copies.Count == 1 ? "it tails" : "they tail")}"));
        return new MemberAssignment([.. assignment.Pools.Select(p => p.Name == pool.Name ? ShrinkLayout.WithCopies(pool, copies) : p)]);
    }

    /// <summary>
    /// Phase CopyingDown: waits until each copy's pull from its shard's current primary tails (a failover that moves
    /// the primary re-points the stream, which copies again), then judges the layout again, with the copies as whole
    /// copies: normally the removal starts (promotions, retiring copies); a failover meanwhile may need more copies;
    /// a layout that still cannot be lowered ends the operation with nothing removed.
    /// </summary>
    private async Task<ScaleStep> CopyDownAsync(ScaleOperation operation, MemberAssignment assignment, PoolAssignment pool,
        ScaleContext context, List<ScaleEvent> events, CancellationToken ct)
    {
        var waiting = new List<string>();
        var copied = new HashSet<string>(context.WholeCopies ?? new HashSet<string>(), StringComparer.Ordinal);
        foreach (var copy in operation.Copies)
        {
            // A copy whose pod took another role since (a failover) is no copy: the plan below judges without it.
            if (!pool.Members.Any(m => m.Pod == copy.Pod && m.Role == MemberRole.Replica && m.Shard == copy.Shard))
                continue;
            string? primary = PrimaryOf(pool, copy.Shard);
            string? sourceIP = primary is null ? null : ReadyIP(context, primary);
            var pull = sourceIP is null ? null
                : context.ReplicaPulls?.GetValueOrDefault(copy.Pod)?.FirstOrDefault(p => p.SourceIP == sourceIP && p.Phase != ReplicaPhases.Stopped);
            if (pull?.Phase == ReplicaPhases.Tailing)
            {
                copied.Add(copy.Pod);
                continue;
            }

            waiting.Add(sourceIP is null ? $"{copy.Shard} into {copy.Pod}: its primary {primary ?? "(none)"} is not ready"
                : pull is null ? $"{copy.Shard} into {copy.Pod} from {primary}: stream not started yet"
                : string.Create(CultureInfo.InvariantCulture, $"{copy.Shard} into {copy.Pod} from {primary}: {pull.Phase}, {pull.Items} items"));
        }

        if (waiting.Count > 0)
        {
            // A lowering is never urgent and a copy cut short would lose keys: it keeps waiting, but says so once
            // it outlasts the warm-up timeout (a source that never catches up, a throttle set too low).
            operation.WarmUpStartedAt ??= context.Now;
            var copying = context.Now - operation.WarmUpStartedAt.Value;
            operation.Message = "copying " + string.Join("; ", waiting)
                + (copying > context.WarmUpTimeout ? string.Create(CultureInfo.InvariantCulture, $" (for {copying.TotalSeconds:0} s)") : "");
            if (copying > context.WarmUpTimeout && !operation.CopySlowReported)
            {
                operation.CopySlowReported = true;
                events.Add(new ScaleEvent(true, "CopyDownSlow", string.Create(CultureInfo.InvariantCulture,
                    $"{Scope(operation.Pool)}{operation.Change}: copying down for {copying.TotalSeconds:0} s, longer than spec.warmUp.timeoutSeconds ({context.WarmUpTimeout.TotalSeconds:0} s): {string.Join("; ", waiting)}; nothing has left the ring, and the lowering waits for the copy rather than lose its keys")));
            }

            return new ScaleStep(context.MembersJson, operation.ToJson(), operation, events);
        }

        if (operation.Operation == ScaleOperation.ScaleIn)
            return CopiedForScaleIn(operation, assignment, pool, context, events);

        int replicasPerShard = operation.ToReplicasPerShard ?? pool.ReplicasPerShard;
        int standbys = operation.ToStandbys ?? pool.Standbys;
        var plan = ShrinkLayout.Plan(pool, replicasPerShard, standbys, copied);
        if (plan.Copies is { Count: > 0 } more)
            return CopyFirst(operation, assignment, pool, more, events);
        if (plan.During is null)
            return Abandoned(operation, context, events, $"the layout still cannot be lowered ({plan.Refusal}); nothing left the ring");

        return await StartRemovalAsync(operation, assignment, plan, context, events, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The copies tail but a failover changed the layout so the operation cannot go on: it ends (Done) with the
    /// members as they are (the copies stay replicas); the next reconcile judges the spec again.
    /// </summary>
    private static ScaleStep Abandoned(ScaleOperation operation, ScaleContext context, List<ScaleEvent> events, string why)
    {
        operation.Phase = ScalePhase.Done;
        operation.CompletedAt = context.Now;
        operation.Message = null;
        events.Add(new ScaleEvent(true, "CopyDownAbandoned", $"{Scope(operation.Pool)}{operation.Change}: after copying down {why}"));
        return new ScaleStep(context.MembersJson, operation.ToJson(), operation, events);
    }

    /// <summary>
    /// A scale-in's copies tail: every staying shard has its primary and R copies below the new pod count, so its
    /// copies above retire from the ring (the routers confirm a later ring before the StatefulSet shrinks) and the
    /// scale-in starts as usual. If a failover moved a staying shard meanwhile, the operation ends with nothing moved
    /// (the next reconcile judges the layout again).
    /// </summary>
    private static ScaleStep CopiedForScaleIn(ScaleOperation operation, MemberAssignment assignment, PoolAssignment pool, ScaleContext context, List<ScaleEvent> events)
    {
        int kept = KeptPods(pool, operation.ToShards.Count);
        var leaving = operation.FromShards.Where(s => !operation.ToShards.Contains(s)).ToList();
        bool fits = operation.ToShards.All(shard => pool.Members.Any(m => m.Shard == shard && m.Role == MemberRole.Primary && m.Ordinal < kept)
            && pool.Members.Count(m => m.Shard == shard && m.Ordinal < kept) >= pool.ReplicasPerShard);
        if (!fits)
            return Abandoned(operation, context, events, "a staying shard no longer has its copies below the new pod count (a failover moved it); nothing moved");

        var above = pool.Members.Where(m => m.Shard is not null && operation.ToShards.Contains(m.Shard) && m.Ordinal >= kept).ToList();
        operation.Phase = ScalePhase.AddingPods;
        operation.Message = $"shards {string.Join(", ", leaving)} hand their buckets to the others";
        events.Add(new ScaleEvent(false, "ScaleInStarted",
            $"{Scope(operation.Pool)}{operation.Change}: {string.Join(", ", leaving)} leave after handing over their buckets"
            + (above.Count == 0 ? "" : $"; {string.Join(", ", above.Select(ShrinkLayout.Describe))} leave the ring (copied down)")));
        var retired = pool with { Members = [.. pool.Members.Select(m => above.Contains(m) ? ShrinkLayout.Retire(m) : m)] };
        var pools = assignment.Pools.Select(p => p.Name == pool.Name ? retired : p).ToList();
        return new ScaleStep(new MemberAssignment(pools).ToJson(), operation.ToJson(), operation, events);
    }

    /// <summary>
    /// The leaving copies and standbys leave the ring (members.json marks them retiring), after promoting the
    /// replicas that take over a shard whose primary sits above the kept ordinals: promoted on its node before the
    /// members naming it are returned, so no ring ever routes writes to a read-only replica.
    /// </summary>
    private async Task<ScaleStep> StartRemovalAsync(ScaleOperation operation, MemberAssignment assignment, ShrinkPlan plan,
        ScaleContext context, List<ScaleEvent> events, CancellationToken ct)
    {
        foreach (var promotion in plan.Promotions)
        {
            string? ip = ReadyIP(context, promotion.NewPrimary);
            if (ip is null || Promoter is null || !await Promoter.PromoteAsync(ip, context.Token, ct).ConfigureAwait(false))
            {
                events.Add(new ScaleEvent(true, "PromotionRefused",
                    $"{Scope(operation.Pool)}replica {promotion.NewPrimary} did not accept promotion for {promotion.Shard} (its primary {promotion.OldPrimary} leaves with {operation.Change}); retrying"));
                return new ScaleStep(context.MembersJson, context.OrchestrationJson, ScaleOperation.TryParse(context.OrchestrationJson), events);
            }
        }

        operation.LeavingPods = [.. plan.Leaving];
        operation.Phase = ScalePhase.Publishing;
        operation.Message = "publishing a ring without the leaving members";
        string promoted = plan.Promotions.Count == 0 ? ""
            : "; promoted " + string.Join(", ", plan.Promotions.Select(p => $"{p.NewPrimary} to primary of {p.Shard} (was {p.OldPrimary})"));
        string demoted = plan.Demoted.Count == 0 ? "" : $"; {Standbys(plan.Demoted)} to be emptied once every router serves the ring";
        events.Add(new ScaleEvent(false, operation.Operation == ScaleOperation.RemoveReplicas ? "ReplicaRemovalStarted" : "StandbyRemovalStarted",
            $"{Scope(operation.Pool)}{operation.Change}: {string.Join(", ", plan.Leaving)} leave the ring, then the StatefulSet{promoted}{demoted}"));
        var pools = assignment.Pools.Select(p => p.Name == operation.Pool ? plan.During! : p).ToList();
        return new ScaleStep(new MemberAssignment(pools).ToJson(), operation.ToJson(), operation, events);
    }

    /// <summary>
    /// Every router serves a ring without the retiring members: their replica streams are ended (a kept one must
    /// answer: as a standby it must neither refill nor stay read-only; one above is deleted anyway), then the pool
    /// shrinks to the new shape, which the StatefulSet follows in the same reconcile.
    /// </summary>
    private async Task<ScaleStep> FinishLoweringAsync(ScaleOperation operation, MemberAssignment assignment, PoolAssignment pool,
        ScaleContext context, List<ScaleEvent> events, CancellationToken ct)
    {
        int replicasPerShard = operation.ToReplicasPerShard ?? pool.ReplicasPerShard;
        int standbys = operation.ToStandbys ?? pool.Standbys;
        int kept = ShrinkLayout.KeptPods(pool, replicasPerShard, standbys);
        var unanswered = new List<string>();
        foreach (var member in pool.Members.Where(m => m.Retiring == true))
        {
            // Not running: a restarted node has no pull; one that never comes back is deleted or emptied when ready.
            string? ip = ReadyIP(context, member.Pod);
            if (ip is not null && !await EndReplicaPullsAsync(ip, context.Token, ct).ConfigureAwait(false) && member.Ordinal < kept)
                unanswered.Add(member.Pod);
        }

        if (unanswered.Count > 0)
        {
            operation.Message = $"ending the replica streams of {string.Join(", ", unanswered)}: no answer yet";
            return new ScaleStep(context.MembersJson, operation.ToJson(), operation, events);
        }

        var after = ShrinkLayout.After(pool, replicasPerShard, standbys);
        if (after is null)
        {
            var stuck = pool.Members.Where(m => m.Ordinal >= kept && m.Shard is not null).Select(ShrinkLayout.Describe);
            operation.Message = $"not shrinking: {string.Join(", ", stuck)} serve shards at ordinals the StatefulSet would delete (moved there by a failover)";
            return new ScaleStep(context.MembersJson, operation.ToJson(), operation, events);
        }

        operation.Phase = ScalePhase.Done;
        operation.CompletedAt = context.Now;
        operation.Message = null;
        var demoted = pool.Members.Where(m => m.Retiring == true && m.Ordinal < kept).Select(m => m.Pod).ToList();
        events.Add(new ScaleEvent(false, operation.Operation == ScaleOperation.RemoveReplicas ? "ReplicasRemoved" : "StandbysChanged", string.Create(CultureInfo.InvariantCulture,
            $"{Scope(operation.Pool)}{operation.Change}: routers serve ring version {operation.PublishedVersion} without {string.Join(", ", operation.LeavingPods)}; the StatefulSet keeps {kept} pods{(demoted.Count == 0 ? "" : $"; {Standbys(demoted)} to be emptied")} ({(context.Now - operation.StartedAt).TotalSeconds:0} s)")));
        var pools = assignment.Pools.Select(p => p.Name == operation.Pool ? after : p).ToList();
        return new ScaleStep(new MemberAssignment(pools).ToJson(), operation.ToJson(), operation, events);
    }

    /// <summary>"pod-1 becomes a standby", "pod-1, pod-3 become standbys".</summary>
    private static string Standbys(IReadOnlyList<string> pods) =>
        pods.Count == 1 ? $"{pods[0]} becomes a standby" : $"{string.Join(", ", pods)} become standbys";

    /// <summary>Stops every replica pull the node runs; true when it answered and all are gone.</summary>
    private async Task<bool> EndReplicaPullsAsync(string ip, string token, CancellationToken ct)
    {
        if (ReplicaNodes is null)
            return false;
        var pulls = await ReplicaNodes.GetReplicaPullsAsync(ip, token, ct).ConfigureAwait(false);
        if (pulls is null)
            return false;
        foreach (var pull in pulls)
        {
            if (!await ReplicaNodes.StopPullAsync(ip, pull.Id, token, ct).ConfigureAwait(false))
                return false;
        }

        return true;
    }
}
