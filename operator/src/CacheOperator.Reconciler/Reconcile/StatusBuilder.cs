using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// The status a cluster should show, from the ring plan and what the pods and routers report. Pure; conditions
/// keep their lastTransitionTime while their status holds, so an unchanged world gives an identical status.
/// </summary>
public static class StatusBuilder
{
    public const string ReasonInvalidSpec = "InvalidSpec";
    public const string ReasonTopologyChangePending = "TopologyChangePending";

    public static CacheClusterStatus Invalid(CacheCluster cluster, IReadOnlyList<string> errors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var status = Copy(cluster.Status);
        long generation = cluster.Metadata.Generation ?? 0;
        string message = "invalid spec: " + string.Join("; ", errors);
        status.ObservedGeneration = generation;
        status.Phase = ClusterPhases.Failed;
        status.Message = message;
        Set(status, ConditionTypes.Ready, false, ReasonInvalidSpec, message, generation, now);
        Set(status, ConditionTypes.Progressing, false, ReasonInvalidSpec, "the spec must be fixed before anything changes", generation, now);
        Set(status, ConditionTypes.Degraded, true, ReasonInvalidSpec, message, generation, now);
        return status;
    }

    public static CacheClusterStatus Build(
        CacheCluster cluster, RingPlan plan, IReadOnlyDictionary<string, ObservedPod> pods, RouterObservation routers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(routers);
        var previous = cluster.Status;
        var status = Copy(previous);
        long generation = cluster.Metadata.Generation ?? 0;
        var names = new ClusterNames(cluster.Metadata.Name ?? "", cluster.Metadata.Namespace ?? "");

        var members = new List<MemberStatus>();
        int shards = 0, readyShards = 0;
        foreach (var pool in plan.Assignment.Pools)
        {
            foreach (var member in pool.Members.OrderBy(m => m.Ordinal))
            {
                members.Add(new MemberStatus
                {
                    Name = member.Pod,
                    Pool = pool.Name,
                    Role = member.Role switch
                    {
                        MemberRole.Primary => MemberRoles.Primary,
                        MemberRole.Replica => MemberRoles.Replica,
                        _ => MemberRoles.Standby,
                    },
                    Shard = member.Shard,
                    Ready = pods.TryGetValue(member.Pod, out var pod) && pod.Ready,
                });
            }

            foreach (var shard in pool.Members.Where(m => m.Role == MemberRole.Primary))
            {
                shards++;
                if (pods.TryGetValue(shard.Pod, out var primary) && primary.Ready)
                    readyShards++;
            }
        }

        int readyMembers = members.Count(m => m.Ready);
        bool membersReady = readyMembers == members.Count;
        bool routersReady = routers.Ready >= routers.Desired && routers.Serving >= routers.Desired;
        bool ready = membersReady && routersReady;
        bool wasRunning = previous?.Phase is ClusterPhases.Running or ClusterPhases.Degraded;
        bool degraded = wasRunning && readyShards < shards;

        status.ObservedGeneration = generation;
        status.RingVersion = plan.Version;
        status.Shards = plan.Assignment.Find(ClusterTopology.DefaultPool)?.Shards ?? 0;
        status.ReadyShards = readyShards;
        status.ReadyMembers = readyMembers;
        status.ReadyText = string.Create(CultureInfo.InvariantCulture, $"{readyMembers}/{members.Count}");
        status.Selector = ClusterLabels.Format(ClusterLabels.PoolSelector(names.Cluster, ClusterTopology.DefaultPool));
        status.Members = members;
        status.Routers = new RouterStatus { Replicas = routers.Desired, Ready = routers.Ready, RingVersion = routers.LowestVersion ?? 0 };

        // Once running, a replica or router catching up is not a new phase; a shard without a primary is.
        status.Phase = degraded ? ClusterPhases.Degraded : ready || wasRunning ? ClusterPhases.Running : ClusterPhases.Creating;

        string pending = string.Join("; ", plan.PendingChanges);
        status.Message = plan.PendingChanges.Count > 0 ? pending : null;

        string readyMessage = ready
            ? string.Create(CultureInfo.InvariantCulture, $"{members.Count} members ready, routers serve ring version {plan.Version}")
            : !membersReady
                ? string.Create(CultureInfo.InvariantCulture, $"{readyMembers}/{members.Count} members ready")
                : string.Create(CultureInfo.InvariantCulture, $"{routers.Serving}/{routers.Desired} routers serve ring version {plan.Version} ({routers.Ready} ready)");
        Set(status, ConditionTypes.Ready, ready, ready ? "Ready" : membersReady ? "RoutersNotReady" : "MembersNotReady", readyMessage, generation, now);

        if (plan.PendingChanges.Count > 0)
            Set(status, ConditionTypes.Progressing, false, ReasonTopologyChangePending, pending, generation, now);
        else if (!ready)
            Set(status, ConditionTypes.Progressing, true, wasRunning ? "Reconciling" : "Creating", readyMessage, generation, now);
        else
            Set(status, ConditionTypes.Progressing, false, "Converged", "the cluster matches its spec", generation, now);

        Set(status, ConditionTypes.Degraded, degraded, degraded ? "ShardsUnavailable" : "AsExpected",
            degraded
                ? string.Create(CultureInfo.InvariantCulture, $"{shards - readyShards} of {shards} shards have no ready primary")
                : "every shard has a ready primary or the cluster is still starting",
            generation, now);
        return status;
    }

    /// <summary>Whether two statuses would serialize identically (then nothing needs writing).</summary>
    public static bool SameAs(CacheClusterStatus? a, CacheClusterStatus? b) =>
        KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);

    private static CacheClusterStatus Copy(CacheClusterStatus? status) =>
        status is null ? new CacheClusterStatus() : KubernetesJson.Clone(status);

    private static void Set(CacheClusterStatus status, string type, bool value, string reason, string message, long generation, DateTimeOffset now) =>
        Conditions.Set(status.Conditions, new Condition
        {
            Type = type,
            Status = value ? "True" : "False",
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
        }, now);
}
