using System.Globalization;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Scale-out of a pool as a state machine whose state lives in the ring ConfigMap: add the new shards' pods,
/// warm them up from the buckets' current owners, publish the new table, wait for every router, end the streams
/// and drop what moved. Each call advances at most one step and returns what to store; the node calls it makes
/// are safe to repeat (an existing pull for the same buckets is adopted, not started twice).
/// </summary>
public sealed partial class ScaleOrchestrator(INodeAdmin nodes, IRouterAdmin routers)
{
    public async Task<ScaleStep> StepAsync(ScaleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var assignment = MemberAssignment.TryParse(context.MembersJson);
        var ring = TryParseRing(context.RingJson);
        var operation = ScaleOperation.TryParse(context.OrchestrationJson);
        var events = new List<ScaleEvent>();
        if (assignment is null || ring is null)
            return new ScaleStep(context.MembersJson, context.OrchestrationJson, operation, events);

        if (operation is null || !operation.Active)
        {
            // Fewer copies or standbys first: a change of shards waits until replicasPerShard and standbys match.
            if (await TryLowerAsync(context, assignment, ring, events, ct).ConfigureAwait(false) is { } lowering)
                return lowering;
            var started = TryStart(context, assignment, ring, events);
            return started is null
                ? new ScaleStep(context.MembersJson, context.OrchestrationJson, operation, events)
                : new ScaleStep(started.Value.Members.ToJson(), started.Value.Operation.ToJson(), started.Value.Operation, events);
        }

        var next = operation.Clone();
        var pool = assignment.Find(next.Pool);
        var table = ring.FindPool(next.Pool)?.Table;
        if (pool is null || table is null)
        {
            next.Message = $"pool {next.Pool} is missing from the ring; the scale-out cannot continue";
            return Result(next, context, events);
        }

        switch (next.Phase)
        {
            case ScalePhase.AddingPods:
                AddPods(next, pool, table, context, events);
                break;
            case ScalePhase.WarmingUp:
                await WarmUpAsync(next, pool, context, events, ct).ConfigureAwait(false);
                break;
            case ScalePhase.CopyingDown:
                return await CopyDownAsync(next, assignment, pool, context, events, ct).ConfigureAwait(false);
            case ScalePhase.Publishing:
                if (table.Shards.OrderBy(s => s, StringComparer.Ordinal).SequenceEqual(next.ToShards.OrderBy(s => s, StringComparer.Ordinal)))
                {
                    next.PublishedVersion = ring.Version;
                    next.Phase = ScalePhase.WaitingForRouters;
                    next.Message = $"waiting for routers to serve ring version {ring.Version}";
                }

                break;
            case ScalePhase.WaitingForRouters:
                await WaitForRoutersAsync(next, context, ct).ConfigureAwait(false);
                break;
            case ScalePhase.Dropping when next.Lowering:
                return await FinishLoweringAsync(next, assignment, pool, context, events, ct).ConfigureAwait(false);
            case ScalePhase.Dropping:
                await DropAsync(next, pool, context, events, ct).ConfigureAwait(false);
                break;
        }

        return Result(next, context, events);
    }

    private static ScaleStep Result(ScaleOperation operation, ScaleContext context, List<ScaleEvent> events) =>
        new(operation.Phase == ScalePhase.Done && operation.Operation == ScaleOperation.ScaleIn
                ? WithoutLeavingMembers(context.MembersJson, operation) : context.MembersJson,
            operation.ToJson(), operation, events);

    /// <summary>
    /// The shards a scale-in to <paramref name="shards"/> removes. The StatefulSet deletes the highest ordinals, so
    /// every pod of a staying shard must sit below the new pod count (<c>shards·R + standbys</c>); the staying shards
    /// are those whose pods sit lowest. The pods below that count that served a leaving shard become the standbys
    /// when the operation is done (<see cref="AfterScaleIn"/>), and whatever sits above it (leaving shards' pods,
    /// standbys: they hold no data) goes. Null when no choice of shards fits (a failover put a shard's copy at a
    /// high ordinal) or the pool is not at its full shape.
    /// </summary>
    public static IReadOnlyList<string>? LeavingShards(PoolAssignment pool, int shards)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (shards < 1 || shards >= pool.Shards || pool.Members.Count != pool.Shards * pool.ReplicasPerShard + pool.Standbys)
            return null;
        var byShard = pool.Members.Where(m => m.Shard is not null).GroupBy(m => m.Shard!, StringComparer.Ordinal)
            .OrderBy(g => g.Max(m => m.Ordinal)).ToList();
        if (byShard.Count != pool.Shards)
            return null;
        int kept = KeptPods(pool, shards);
        bool fits = byShard.Take(shards).All(g => g.All(m => m.Ordinal < kept));
        return fits ? [.. byShard.Skip(shards).Select(g => g.Key).Order(StringComparer.Ordinal)] : null;
    }

    /// <summary>
    /// A scale-in <see cref="LeavingShards"/> refuses because the staying shards have copies above the new pod count
    /// (the layout after raising replicasPerShard, <c>P:s0 P:s1 S R:s0 R:s1</c>, 2 → 1): the staying shards are those
    /// with the most copies below it (their primaries there: a scale-in promotes nothing), and each gets kept pods
    /// as replicas until it has R copies below: first replicas of leaving shards (never their primaries, the
    /// warm-up's sources), then standbys. Once the copies tail, the staying shards' copies above retire from the
    /// ring and the scale-in runs as usual. Null when no such choice exists (e.g. no free kept pod: standbys 0).
    /// </summary>
    public static (IReadOnlyList<string> Leaving, IReadOnlyList<ShrinkCopy> Copies)? ScaleInCopies(PoolAssignment pool, int shards)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (shards < 1 || shards >= pool.Shards || pool.Members.Count != pool.Shards * pool.ReplicasPerShard + pool.Standbys
            || pool.Members.Select(m => m.Ordinal).Order().Where((ordinal, i) => ordinal != i).Any())
        {
            return null;
        }

        int kept = KeptPods(pool, shards);
        var byShard = pool.Members.Where(m => m.Shard is not null).GroupBy(m => m.Shard!, StringComparer.Ordinal).ToList();
        if (byShard.Count != pool.Shards || byShard.Any(g => g.Count(m => m.Role == MemberRole.Primary) != 1))
            return null;
        PoolMember PrimaryIn(IGrouping<string, PoolMember> g) => g.First(m => m.Role == MemberRole.Primary);
        var staying = byShard.Where(g => PrimaryIn(g).Ordinal < kept)
            .OrderByDescending(g => g.Count(m => m.Ordinal < kept)).ThenBy(g => PrimaryIn(g).Ordinal).Take(shards).ToList();
        if (staying.Count < shards)
            return null;
        var stayingIds = staying.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var free = pool.Members.Where(m => m.Ordinal < kept
                && (m.Role == MemberRole.Replica && !stayingIds.Contains(m.Shard!) || m.Role == MemberRole.Standby && m.Retiring != true))
            .OrderBy(m => m.Role == MemberRole.Replica ? 0 : 1).ThenBy(m => m.ToEmpty == true ? 0 : 1).ThenByDescending(m => m.Ordinal).ToList();
        var copies = new List<ShrinkCopy>();
        foreach (var shard in staying.OrderBy(g => PrimaryIn(g).Ordinal))
        {
            for (int have = shard.Count(m => m.Ordinal < kept); have < pool.ReplicasPerShard; have++)
            {
                if (free.Count == 0)
                    return null;
                copies.Add(new ShrinkCopy(free[0].Pod, shard.Key, ShrinkLayout.RoleOf(free[0]), PrimaryIn(shard).Pod));
                free.RemoveAt(0);
            }
        }

        return copies.Count == 0 ? null : ([.. byShard.Select(g => g.Key).Where(s => !stayingIds.Contains(s)).Order(StringComparer.Ordinal)], copies);
    }

    /// <summary>How many pods (ordinals 0 … n-1) the StatefulSet keeps with <paramref name="shards"/> shards.</summary>
    private static int KeptPods(PoolAssignment pool, int shards) => shards * pool.ReplicasPerShard + pool.Standbys;

    /// <summary>
    /// The pool's members once a scale-in to <paramref name="staying"/> is done: exactly the pods the shrunk
    /// StatefulSet keeps. Staying shards' members keep their roles; a kept pod that served a leaving shard becomes a
    /// standby to be emptied first (its replicas were never dropped); pods above the new count are removed. Null
    /// when a staying shard's copy sits above it (moved there by a failover during the operation): finishing would
    /// delete it.
    /// </summary>
    public static PoolAssignment? AfterScaleIn(PoolAssignment pool, IReadOnlyCollection<string> staying)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(staying);
        int kept = KeptPods(pool, staying.Count);
        if (pool.Members.Any(m => m.Shard is not null && staying.Contains(m.Shard) && m.Ordinal >= kept))
            return null;
        return pool with
        {
            Shards = staying.Count,
            Members = [.. pool.Members.Where(m => m.Ordinal < kept).Select(m => m.Shard is null || staying.Contains(m.Shard)
                ? m : m with { Role = MemberRole.Standby, Shard = null, ToEmpty = true })],
        };
    }

    private static string? WithoutLeavingMembers(string? membersJson, ScaleOperation operation)
    {
        var assignment = MemberAssignment.TryParse(membersJson);
        if (assignment is null)
            return membersJson;
        var pools = assignment.Pools.Select(p => p.Name != operation.Pool ? p : AfterScaleIn(p, [.. operation.ToShards]) ?? p).ToList();
        return new MemberAssignment(pools).ToJson();
    }

    /// <summary>A pool whose spec asks for more shards (same copies and standbys) starts a scale-out.</summary>
    private static (MemberAssignment Members, ScaleOperation Operation)? TryStart(
        ScaleContext context, MemberAssignment assignment, CacheRing ring, List<ScaleEvent> events)
    {
        foreach (var wanted in context.WantedPools)
        {
            var current = assignment.Find(wanted.Name);
            var table = ring.FindPool(wanted.Name)?.Table;
            if (current is null || table is null || wanted.Shards == current.Shards
                || wanted.ReplicasPerShard != current.ReplicasPerShard || wanted.Standbys != current.Standbys)
            {
                continue;
            }

            if (wanted.Shards < current.Shards)
            {
                var leaving = LeavingShards(current, wanted.Shards);
                var copyFirst = leaving is null ? ScaleInCopies(current, wanted.Shards) : null;
                leaving ??= copyFirst?.Leaving;
                if (leaving is null || !leaving.All(table.Shards.Contains))
                    continue;
                var scaleIn = new ScaleOperation
                {
                    Operation = ScaleOperation.ScaleIn,
                    Pool = wanted.Name,
                    FromShards = [.. table.Shards],
                    ToShards = [.. table.Shards.Where(s => !leaving.Contains(s))],
                    Phase = ScalePhase.AddingPods,
                    StartedAt = context.Now,
                    Message = $"shards {string.Join(", ", leaving)} hand their buckets to the others",
                };

                // The staying shards' copies above the new count are first copied down (phase CopyingDown).
                if (copyFirst is { } first)
                    return (StartCopies(scaleIn, assignment, current, first.Copies, events), scaleIn);
                events.Add(new ScaleEvent(false, "ScaleInStarted",
                    $"{Scope(wanted.Name)}shards {current.Shards} → {wanted.Shards}: {string.Join(", ", leaving)} leave after handing over their buckets"));
                return (assignment, scaleIn);
            }

            var members = current.Members.ToList();
            int nextOrdinal = members.Count == 0 ? 0 : members.Max(m => m.Ordinal) + 1;
            var used = members.Where(m => m.Shard is not null).Select(m => m.Shard!).ToHashSet(StringComparer.Ordinal);
            var newShards = new List<string>();
            var newPods = new List<string>();
            for (int index = 0; newShards.Count < wanted.Shards - current.Shards; index++)
            {
                string shard = RoleAssignment.ShardId(index);
                if (used.Contains(shard))
                    continue;
                newShards.Add(shard);
                for (int copy = 0; copy < current.ReplicasPerShard; copy++)
                {
                    string pod = context.Names.Pod(wanted.Name, nextOrdinal);
                    members.Add(new PoolMember(pod, nextOrdinal++, copy == 0 ? MemberRole.Primary : MemberRole.Replica, shard));
                    newPods.Add(pod);
                }
            }

            var pools = assignment.Pools.Select(p => p.Name == wanted.Name ? p with { Shards = wanted.Shards, Members = members } : p).ToList();
            var operation = new ScaleOperation
            {
                Pool = wanted.Name,
                FromShards = [.. table.Shards],
                ToShards = [.. table.Shards, .. newShards],
                NewPods = newPods,
                Phase = ScalePhase.AddingPods,
                StartedAt = context.Now,
                Message = $"adding {newPods.Count} pods for shards {string.Join(", ", newShards)}",
            };
            events.Add(new ScaleEvent(false, "ScaleOutStarted",
                $"{Scope(wanted.Name)}shards {current.Shards} → {wanted.Shards}: adding {string.Join(", ", newPods)}"));
            return (new MemberAssignment(pools), operation);
        }

        return null;
    }

    private static void AddPods(ScaleOperation operation, PoolAssignment pool, BucketTable table, ScaleContext context, List<ScaleEvent> events)
    {
        var waiting = operation.NewPods.Where(p => !context.Pods.TryGetValue(p, out var pod) || !pod.Ready || string.IsNullOrEmpty(pod.IP)).ToList();
        if (waiting.Count > 0)
        {
            operation.Message = $"waiting for new pods to be ready: {string.Join(", ", waiting)}";
            return;
        }

        var target = table.Rebalance([.. operation.ToShards]);
        operation.Transfers = [.. BucketTable.Diff(table, target).Transfers.Select(t => new ScaleTransfer
        {
            FromShard = t.FromShard,
            ToShard = t.ToShard,
            Buckets = Ranges(t.Buckets),
            BucketCount = table.BucketCount,
            SourcePod = PrimaryOf(pool, t.FromShard) ?? "",
            TargetPod = PrimaryOf(pool, t.ToShard) ?? "",
        })];
        operation.Phase = ScalePhase.WarmingUp;
        operation.WarmUpStartedAt = context.Now;
        operation.Message = $"warming up {operation.Transfers.Count} streams";
    }

    private async Task WarmUpAsync(ScaleOperation operation, PoolAssignment pool, ScaleContext context, List<ScaleEvent> events, CancellationToken ct)
    {
        var streamsByTarget = new Dictionary<string, IReadOnlyList<NodeStream>?>(StringComparer.Ordinal);
        var stopped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var transfer in operation.Transfers)
        {
            // The current owner, not the recorded one: a failover may have moved the source shard to another pod.
            transfer.SourcePod = PrimaryOf(pool, transfer.FromShard) ?? transfer.SourcePod;
            transfer.TargetPod = PrimaryOf(pool, transfer.ToShard) ?? transfer.TargetPod;
            string? sourceIP = ReadyIP(context, transfer.SourcePod);
            string? targetIP = ReadyIP(context, transfer.TargetPod);
            if (targetIP is null)
            {
                transfer.Phase = "TargetNotReady";
                continue;
            }

            if (!streamsByTarget.TryGetValue(targetIP, out var streams))
                streamsByTarget[targetIP] = streams = await nodes.GetStreamsAsync(targetIP, context.Token, ct).ConfigureAwait(false);

            if (transfer.PullId is not null && transfer.SourceIP != sourceIP)
            {
                // The source was replaced or is gone: its stream copies from nowhere; start over from the owner now.
                await nodes.StopPullAsync(targetIP, transfer.PullId, context.Token, ct).ConfigureAwait(false);
                stopped.Add(transfer.PullId);
                events.Add(new ScaleEvent(true, "WarmUpSourceChanged",
                    $"warm-up of {transfer.ToShard} from {transfer.FromShard}: source {transfer.SourcePod} is {(sourceIP is null ? "gone" : "at a new address")}; the stream starts over"));
                transfer.PullId = null;
                transfer.Phase = "SourceLost";
                transfer.Items = transfer.Bytes = transfer.LagItems = 0;
            }

            if (sourceIP is null)
            {
                transfer.Phase = "SourceNotReady";
                continue;
            }

            var stream = transfer.PullId is null ? null : streams?.FirstOrDefault(s => s.Id == transfer.PullId);
            if (transfer.PullId is not null && streams is not null && (stream is null || stream.Phase == "Stopped"))
            {
                // The target restarted and forgot the pull, or the pull gave up: start it again.
                if (stream is not null)
                {
                    await nodes.StopPullAsync(targetIP, stream.Id, context.Token, ct).ConfigureAwait(false);
                    stopped.Add(stream.Id);
                }

                transfer.PullId = null;
                stream = null;
            }

            if (transfer.PullId is null)
            {
                // A pull started by a step whose state was never stored is adopted instead of duplicated.
                stream = streams?.FirstOrDefault(s => s.Role == "target" && s.Buckets == transfer.Buckets && !stopped.Contains(s.Id));
                string? id = stream?.Id ?? await nodes.StartPullAsync(targetIP, sourceIP, transfer.Buckets, transfer.BucketCount, context.Token, context.WarmUpBytesPerSecond, ct).ConfigureAwait(false);
                if (id is null)
                {
                    transfer.Phase = "NotStarted";
                    continue;
                }

                transfer.PullId = id;
                transfer.SourceIP = sourceIP;
                transfer.StartedAt = context.Now;
                if (stream is null)
                {
                    events.Add(new ScaleEvent(false, "WarmUpStarted",
                        $"warm-up of {transfer.ToShard} ({transfer.TargetPod}) from {transfer.FromShard} ({transfer.SourcePod}): buckets {Abbreviate(transfer.Buckets)}"));
                    transfer.Phase = "Connecting";
                    continue;
                }
            }

            if (stream is not null)
            {
                transfer.Phase = stream.Phase;
                transfer.Items = stream.Items;
                transfer.Bytes = stream.Bytes;
                transfer.LagItems = stream.LagEntries;
            }
        }

        bool caughtUp = operation.Transfers.All(t => t.PullId is not null && t.Phase == "Tailing" && t.LagItems <= context.MaxLagItems);
        bool timedOut = operation.WarmUpStartedAt is { } started && context.Now - started > context.WarmUpTimeout;
        if (caughtUp || timedOut)
        {
            operation.Phase = ScalePhase.Publishing;
            operation.Message = "publishing the new ring";
            events.Add(caughtUp
                ? new ScaleEvent(false, "WarmUpCaughtUp", $"{operation.Transfers.Count} warm-up streams caught up; publishing the new ring")
                : new ScaleEvent(true, "WarmUpTimedOut", string.Create(CultureInfo.InvariantCulture,
                    $"warm-up not caught up after {context.WarmUpTimeout.TotalSeconds:0} s; publishing the new ring anyway (buckets not copied start cold)")));
            return;
        }

        int done = operation.Transfers.Count(t => t.Phase == "Tailing" && t.LagItems <= context.MaxLagItems);
        operation.Message = string.Create(CultureInfo.InvariantCulture, $"warming up: {done}/{operation.Transfers.Count} streams caught up")
            + (operation.Transfers.FirstOrDefault(t => t.Phase is "SourceNotReady" or "SourceLost") is { } lost
                ? $"; source {lost.SourcePod} of {lost.FromShard} is not ready, its stream waits for it"
                : "");
    }

    private async Task WaitForRoutersAsync(ScaleOperation operation, ScaleContext context, CancellationToken ct)
    {
        var versions = await Task.WhenAll(context.RouterIPs.Select(ip => routers.GetRingVersionAsync(ip, ct))).ConfigureAwait(false);
        int serving = versions.Count(v => v >= operation.PublishedVersion);
        if (serving >= context.RoutersDesired && serving == context.RouterIPs.Count && serving > 0)
        {
            operation.Phase = ScalePhase.Dropping;
            operation.Message = operation.Lowering
                ? "ending the leaving replicas' streams and shrinking the pool"
                : "ending warm-up streams and dropping moved buckets from their old owners";
            return;
        }

        operation.Message = string.Create(CultureInfo.InvariantCulture,
            $"waiting for routers: {serving}/{Math.Max(context.RoutersDesired, context.RouterIPs.Count)} serve ring version {operation.PublishedVersion}");
    }

    private async Task DropAsync(ScaleOperation operation, PoolAssignment pool, ScaleContext context, List<ScaleEvent> events, CancellationToken ct)
    {
        foreach (var transfer in operation.Transfers.Where(t => !t.Dropped))
        {
            string? targetIP = ReadyIP(context, PrimaryOf(pool, transfer.ToShard) ?? transfer.TargetPod);
            if (transfer.PullId is not null && targetIP is not null
                && !await nodes.StopPullAsync(targetIP, transfer.PullId, context.Token, ct).ConfigureAwait(false))
            {
                continue;
            }

            transfer.PullId = null;
            transfer.Phase = "Stopped";
            string? sourceIP = ReadyIP(context, PrimaryOf(pool, transfer.FromShard) ?? transfer.SourcePod);

            // A source without an address restarted empty: there is nothing left to drop.
            if (sourceIP is not null && !await nodes.DropAsync(sourceIP, transfer.Buckets, transfer.BucketCount, context.Token, ct).ConfigureAwait(false))
                continue;
            transfer.Dropped = true;
        }

        int left = operation.Transfers.Count(t => !t.Dropped);
        if (left > 0)
        {
            operation.Message = string.Create(CultureInfo.InvariantCulture, $"dropping moved buckets: {left} old owners still to answer");
            return;
        }

        // Done shrinks the StatefulSet; never while that would delete a staying shard's copy (a failover during the
        // operation can hand a staying shard to a standby at a high ordinal). The old owners have dropped, the ring
        // is flipped: holding here only keeps the pods.
        if (operation.Operation == ScaleOperation.ScaleIn && AfterScaleIn(pool, [.. operation.ToShards]) is null)
        {
            int kept = KeptPods(pool, operation.ToShards.Count);
            var stuck = pool.Members.Where(m => m.Shard is not null && operation.ToShards.Contains(m.Shard) && m.Ordinal >= kept).Select(m => m.Pod);
            operation.Message = $"not shrinking: {string.Join(", ", stuck)} serve staying shards at ordinals the StatefulSet would delete (moved there by a failover)";
            return;
        }

        operation.Phase = ScalePhase.Done;
        operation.CompletedAt = context.Now;
        operation.Message = null;
        var took = context.Now - operation.StartedAt;
        events.Add(new ScaleEvent(false, operation.Operation == ScaleOperation.ScaleIn ? "ScaleInComplete" : "ScaleOutComplete", string.Create(CultureInfo.InvariantCulture,
            $"{Scope(operation.Pool)}{operation.ToShards.Count} shards serve ring version {operation.PublishedVersion}; {operation.Transfers.Count} bucket sets moved in {took.TotalSeconds:0} s")));
    }

    private static string Scope(string pool) => pool == "default" ? "" : $"pool {pool}: ";

    private static string? PrimaryOf(PoolAssignment pool, string shard) =>
        pool.Members.FirstOrDefault(m => m.Shard == shard && m.Role == MemberRole.Primary)?.Pod;

    private static string? ReadyIP(ScaleContext context, string pod) =>
        context.Pods.TryGetValue(pod, out var observed) && observed.Ready && !string.IsNullOrEmpty(observed.IP) ? observed.IP : null;

    private static string Abbreviate(string ranges) => ranges.Length > 60 ? ranges[..60] + "…" : ranges;

    /// <summary>Ascending buckets as inclusive ranges, "a-b,c".</summary>
    public static string Ranges(IReadOnlyList<int> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var parts = new List<string>();
        for (int i = 0; i < buckets.Count;)
        {
            int j = i;
            while (j + 1 < buckets.Count && buckets[j + 1] == buckets[j] + 1)
                j++;
            parts.Add(j == i
                ? buckets[i].ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{buckets[i]}-{buckets[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    private static CacheRing? TryParseRing(string? json) =>
        !string.IsNullOrWhiteSpace(json) && RingDocument.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var ring, out _) ? ring : null;
}
