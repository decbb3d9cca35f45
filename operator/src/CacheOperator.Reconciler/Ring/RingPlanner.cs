using System.Text.Json;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Ring;

/// <summary>
/// Derives the next ring from the previous one: pure, so the reconciler and the tests compute the same result.
/// Bucket tables and role assignments carry over from the previous ring (only the orchestration changes them);
/// addresses follow the pods' current IPs; the version rises exactly when the document changes.
/// </summary>
public static class RingPlanner
{
    public static RingPlan Plan(RingPlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var previousAssignment = MemberAssignment.TryParse(input.PreviousMembers);
        var previousRing = TryParseRing(input.PreviousRing);
        long previousVersion = previousRing?.Version ?? RecoverVersion(input.PreviousRing);
        var operation = ScaleOperation.TryParse(input.Orchestration);
        var active = operation is { Active: true } ? operation : null;

        var pending = new List<string>();
        IReadOnlyList<PoolAssignment> pools;
        bool poolSetChanged = false, membersAdded = false;
        if (previousAssignment is null)
        {
            pools = [.. input.Pools.Select(p => RoleAssignment.Initial(input.Names, p))];
        }
        else
        {
            pools = previousAssignment.Pools;
            foreach (var wanted in input.Pools)
            {
                var current = previousAssignment.Find(wanted.Name);
                if (current is null)
                {
                    poolSetChanged = true;
                    pending.Add($"pool {wanted.Name} added: adding pools to a running cluster is not supported yet");
                    continue;
                }

                string scope = wanted.Name == input.DefaultPool ? "" : $"pool {wanted.Name}: ";
                int target = active?.Pool == wanted.Name ? active.ToShards.Count : current.Shards;
                if (active is not null && wanted.Shards != target)
                {
                    pending.Add($"{scope}shards {target} → {wanted.Shards} waits for the running {active.Operation} of pool {active.Pool} to finish");
                }
                else if (active is null && current.Shards > wanted.Shards && current.ReplicasPerShard == wanted.ReplicasPerShard
                    && current.Standbys == wanted.Standbys && ScaleOrchestrator.LeavingShards(current, wanted.Shards) is null
                    && ScaleOrchestrator.ScaleInCopies(current, wanted.Shards) is null)
                {
                    pending.Add($"{scope}shards {current.Shards} → {wanted.Shards} is not supported for this layout (some shard's pods sit among the ordinals the StatefulSet would remove, whichever shards leave, and no kept pod is free to copy a staying shard into); the cluster keeps {current.Shards}");
                }
                var running = active?.Pool == wanted.Name && active.Lowering ? active : null;
                if (current.ReplicasPerShard < wanted.ReplicasPerShard && active is null)
                {
                    pools = [.. pools.Select(p => p == current ? WithMoreReplicas(input.Names, current, wanted.ReplicasPerShard) : p)];
                    membersAdded = true;
                }
                else if (current.ReplicasPerShard != wanted.ReplicasPerShard && running?.Operation != ScaleOperation.RemoveReplicas)
                {
                    pending.Add(active is not null
                        ? $"{scope}replicasPerShard {current.ReplicasPerShard} → {wanted.ReplicasPerShard} waits for the running {active.Operation} of pool {active.Pool} to finish"
                        : Lowering(scope, "replicasPerShard", current.ReplicasPerShard, wanted.ReplicasPerShard,
                            ShrinkLayout.Plan(current, wanted.ReplicasPerShard, current.Standbys, input.ServingReplicas)));
                }

                if (current.Standbys == wanted.Standbys || running?.Operation == ScaleOperation.RemoveStandbys)
                    continue;
                if (current.ReplicasPerShard != wanted.ReplicasPerShard)
                {
                    pending.Add($"{scope}standbys {current.Standbys} → {wanted.Standbys} waits for replicasPerShard {current.ReplicasPerShard} → {wanted.ReplicasPerShard}");
                }
                else if (active is not null)
                {
                    pending.Add($"{scope}standbys {current.Standbys} → {wanted.Standbys} waits for the running {active.Operation} of pool {active.Pool} to finish");
                }
                else if (current.Standbys < wanted.Standbys)
                {
                    pools = [.. pools.Select(p => p == current ? WithMoreStandbys(input.Names, current, wanted.Standbys) : p)];
                    membersAdded = true;
                }
                else
                {
                    pending.Add(Lowering(scope, "standbys", current.Standbys, wanted.Standbys,
                        ShrinkLayout.Plan(current, current.ReplicasPerShard, wanted.Standbys, input.ServingReplicas)));
                }
            }

            foreach (var current in previousAssignment.Pools.Where(p => input.Pools.All(w => w.Name != p.Name)))
            {
                poolSetChanged = true;
                pending.Add($"pool {current.Name} removed: removing pools from a running cluster is not supported yet");
            }
        }

        var addresses = new AddressBook(input);
        var effective = new List<PoolTopology>(pools.Count);
        var ringPools = new List<RingPool>(pools.Count);
        var standbys = new List<NodeAddress>();
        foreach (var pool in pools)
        {
            // Prefixes move keys between pools; while pools are being added or removed the old prefixes stay, so
            // no key is routed to a pool that does not exist yet and no prefix is claimed twice.
            var wanted = input.Pools.FirstOrDefault(p => p.Name == pool.Name);
            IReadOnlyList<string> prefixes = !poolSetChanged && wanted is not null
                ? wanted.Prefixes
                : previousRing?.FindPool(pool.Name)?.Prefixes ?? wanted?.Prefixes ?? [];
            effective.Add(pool.Topology(prefixes));

            var table = TableFor(pool, previousRing?.FindPool(pool.Name)?.Table, active?.Pool == pool.Name ? active : null);
            var endpoints = table.Shards.Select(shard => Endpoints(pool, shard, addresses, input.ServingReplicas)).ToList();
            ringPools.Add(new RingPool(pool.Name, prefixes, table, endpoints));
            // A retiring member (a lowering of replicasPerShard or standbys takes it out) is listed nowhere.
            standbys.AddRange(pool.Members.Where(m => m.Role == MemberRole.Standby && m.Retiring != true).OrderBy(m => m.Ordinal)
                .Select(m => addresses.Of(pool.Name, m.Ordinal, m.Pod)));
        }

        GutterPool? gutter = null;
        if (input.Gutter is { Shards: > 0 } g)
        {
            gutter = new GutterPool(
                [.. Enumerable.Range(0, g.Shards).Select(i =>
                    addresses.Of(GutterTopology.PoolName, i, input.Names.Pod(GutterTopology.PoolName, i)))],
                g.TtlSeconds);
        }

        CacheRing Build(long version) => new(version, ringPools, input.DefaultPool, standbys, gutter, input.Router);

        var ring = Build(Math.Max(previousVersion, 1));
        string json = RingDocument.WriteString(ring);
        bool changed = previousRing is null || json != RingDocument.WriteString(previousRing);
        if (changed && previousVersion > 0)
        {
            ring = Build(previousVersion + 1);
            json = RingDocument.WriteString(ring);
        }

        var assignment = previousAssignment is null || membersAdded ? new MemberAssignment(pools) : previousAssignment;
        return new RingPlan
        {
            Ring = ring,
            RingJson = json,
            Assignment = assignment,
            MembersJson = assignment.ToJson(),
            Pools = effective,
            Changed = changed,
            PendingChanges = pending,
            OrchestrationJson = operation?.ToJson() ?? (string.IsNullOrWhiteSpace(input.Orchestration) ? null : input.Orchestration),
        };
    }

    /// <summary>
    /// During a scale-out: the old table until the warm-up is done, then the rebalanced one. Otherwise the previous
    /// table when it still has exactly the assigned shards, else a fresh balanced one.
    /// </summary>
    private static BucketTable TableFor(PoolAssignment pool, BucketTable? previous, ScaleOperation? operation)
    {
        if (operation is not null && previous is not null)
        {
            bool isTarget = previous.Shards.Count == operation.ToShards.Count && previous.Shards.All(operation.ToShards.Contains);
            if (!operation.TablePublished || isTarget)
                return previous;
            return previous.Rebalance([.. operation.ToShards]);
        }

        var shards = pool.Members.Where(m => m.Shard is not null).OrderBy(m => m.Ordinal)
            .Select(m => m.Shard!).Distinct(StringComparer.Ordinal).ToList();
        if (previous is not null && previous.Shards.Count == shards.Count && previous.Shards.All(shards.Contains))
            return previous;
        return BucketTable.Create(shards);
    }

    /// <summary>
    /// More copies per shard: the new replicas take new ordinals at the end (the pods a growing StatefulSet adds),
    /// shard by shard in the order of their primaries; no data moves, each new replica copies its shard by its own
    /// stream and serves reads only once it tails (<see cref="RingPlanInput.ServingReplicas"/>).
    /// </summary>
    private static PoolAssignment WithMoreReplicas(ClusterNames names, PoolAssignment pool, int replicasPerShard)
    {
        var members = pool.Members.ToList();
        int next = members.Count == 0 ? 0 : members.Max(m => m.Ordinal) + 1;
        var shards = members.Where(m => m.Role == MemberRole.Primary).OrderBy(m => m.Ordinal).Select(m => m.Shard!).ToList();
        // Exactly R' - R per shard, whatever a failover did to a shard's copies: the StatefulSet runs S·R' + B pods,
        // and the members must be exactly its ordinals.
        foreach (string shard in shards)
        {
            for (int added = 0; added < replicasPerShard - pool.ReplicasPerShard; added++, next++)
                members.Add(new PoolMember(names.Pod(pool.Name, next), next, MemberRole.Replica, shard));
        }

        return pool with { ReplicasPerShard = replicasPerShard, Members = members };
    }

    /// <summary>
    /// More standbys: the new ones take new ordinals at the end, the pods a growing StatefulSet adds; they hold nothing.
    /// </summary>
    private static PoolAssignment WithMoreStandbys(ClusterNames names, PoolAssignment pool, int standbys)
    {
        var members = pool.Members.ToList();
        int next = members.Count == 0 ? 0 : members.Max(m => m.Ordinal) + 1;
        for (int added = 0; added < standbys - pool.Standbys; added++, next++)
            members.Add(new PoolMember(names.Pod(pool.Name, next), next, MemberRole.Standby, null));
        return pool with { Standbys = standbys, Members = members };
    }

    /// <summary>
    /// Why a lowering the scale step did not start is pending: its layout is refused, or it has not started yet
    /// (a replica to promote did not answer, or the step has not run: it starts in the same reconcile as a rule,
    /// copying a shard down first where one is short of kept copies; the step retries every reconcile).
    /// </summary>
    private static string Lowering(string scope, string field, int from, int to, ShrinkPlan plan) => plan.Refusal is { } refusal
        ? $"{scope}{field} {from} → {to} is not supported for this layout: {refusal}; the cluster keeps {from}"
        : $"{scope}{field} {from} → {to} has not started yet"
            + (plan.Copies is { Count: > 0 } copies ? $" (it first copies {string.Join(", ", copies.Select(c => $"{c.Shard} into {c.Pod}"))})" : "");

    private static ShardEndpoints Endpoints(PoolAssignment pool, string shard, AddressBook addresses, IReadOnlySet<string>? servingReplicas)
    {
        var copies = pool.Members.Where(m => m.Shard == shard && (m.Role == MemberRole.Primary
                || m.Role == MemberRole.Replica && (servingReplicas is null || servingReplicas.Contains(m.Pod))))
            .OrderBy(m => m.Role == MemberRole.Primary ? 0 : 1).ThenBy(m => m.Ordinal).ToList();
        var primary = copies[0];
        return new ShardEndpoints(
            shard,
            addresses.Of(pool.Name, primary.Ordinal, primary.Pod),
            [.. copies.Skip(1).Select(m => addresses.Of(pool.Name, m.Ordinal, m.Pod))]);
    }

    private static CacheRing? TryParseRing(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        return RingDocument.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var ring, out _) ? ring : null;
    }

    /// <summary>
    /// The version of a document that no longer parses (hand-edited, say), so the next one still goes up:
    /// routers refuse a ring older than the one they serve.
    /// </summary>
    private static long RecoverVersion(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return 0;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version)
                && version.TryGetInt64(out long value) && value > 0 ? value : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    /// <summary>Members' ring addresses: the pod IP when it has one, else its stable DNS name.</summary>
    private sealed class AddressBook
    {
        private readonly RingPlanInput _input;
        private readonly HashSet<string> _sharedIPs;

        public AddressBook(RingPlanInput input)
        {
            _input = input;

            // Two pods briefly reporting one IP (a stale cache during a restart) would make an invalid ring that
            // every router refuses; those pods fall back to their DNS names until the IPs settle.
            _sharedIPs = [.. input.PodIPs.Values.GroupBy(ip => ip, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        }

        public NodeAddress Of(string pool, int ordinal, string pod) =>
            _input.PodIPs.TryGetValue(pod, out string? ip) && !string.IsNullOrEmpty(ip) && !_sharedIPs.Contains(ip)
                ? new NodeAddress(ip, _input.MemcachedPort)
                : new NodeAddress(_input.Names.PodDnsName(pool, ordinal), _input.MemcachedPort);
    }
}
