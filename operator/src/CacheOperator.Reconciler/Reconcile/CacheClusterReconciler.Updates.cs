using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Orchestration;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>The reconciler's part of pod updates (Orchestration/PodUpdater.cs): plan before the ring, delete after the routers.</summary>
public sealed partial class CacheClusterReconciler
{
    private async Task<PodUpdatePlan> PlanPodUpdateAsync(CacheCluster cluster, ClusterNames names, string? membersJson, bool scaleChangedMembers,
        IReadOnlyList<Pod> nodePods, IReadOnlyDictionary<string, ObservedPod> pods, IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> replicaPulls,
        FailoverDecision? failover, ScaleStep? scale, Func<CancellationToken, Task<bool>> routersServeStoredRing, string token, CancellationToken ct)
    {
        var assignment = Ring.MemberAssignment.TryParse(membersJson);
        if (assignment is null)
            return PodUpdatePlan.Idle;
        var sets = new Dictionary<string, StatefulSet?>(StringComparer.Ordinal);
        foreach (var pool in assignment.Pools)
            sets[pool.Name] = await world.GetAsync<StatefulSet>(names.Namespace, names.StatefulSet(pool.Name), ct).ConfigureAwait(false);

        var plan = await PodUpdater.PlanAsync(new PodUpdateInput
        {
            Assignment = assignment,
            WantedPools = ClusterTopology.Pools(cluster.Spec),
            StatefulSets = sets,
            Pods = nodePods,
            Observed = pods,
            ReplicaPulls = replicaPulls,
            Failover = failover,
            Scale = scale?.Operation,
            WasUpdating = Conditions.Find(cluster.Status?.Conditions, ConditionTypes.Progressing)?.Reason == PodUpdater.ReasonUpdatingPods,
            RoutersServeStoredRing = routersServeStoredRing,
            Token = token,
        }, _failover.Nodes, ct).ConfigureAwait(false);

        // A scale step that rewrote the members this reconcile (an operation finishing) is not a calm cluster.
        return scaleChangedMembers && plan.MayDelete ? plan with { MayDelete = false, Message = $"next {plan.Next!.Pod} once the scale step settles" } : plan;
    }

    /// <summary>
    /// Deletes the plan's next pod once the ring just stored is the one every ready router serves, no replica but the
    /// leaving one is off its tail, and (a replica) that ring no longer lists it. The delete is conditional on the
    /// pod's uid, so the pod the StatefulSet recreates is never deleted by a stale decision.
    /// </summary>
    private async Task FinishPodUpdateAsync(CacheCluster cluster, ClusterNames names, PodUpdatePlan plan, DesiredState desired,
        RouterObservation routerView, IReadOnlyList<ReplicaState>? replicas, IReadOnlyDictionary<string, ObservedPod> pods, CancellationToken ct)
    {
        if (!plan.MayDelete || plan.Next is not { } next || plan.NextUid is null)
            return;
        if (desired.Ring.Changed || routerView.Serving < routerView.Ready)
            return;
        if (replicas is not null && replicas.Any(r => r.Pod != next.Pod && !r.Tailing))
            return;
        if (next.Role != Ring.MemberRole.Primary
            && ReadCopyFence.ListsAsCopy(desired.Ring.Ring, pods.GetValueOrDefault(next.Pod)?.IP, names.PodDnsName(plan.NextPool!, next.Ordinal)))
            return;

        try
        {
            await client.DeleteAsync<Pod>(names.Namespace, next.Pod, new DeleteOptions { PreconditionUid = plan.NextUid }, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound || ex.IsConflict)
        {
            return;
        }

        metrics.PodUpdated();
        LogPodUpdate(logger, names.Namespace, names.Cluster, next.Pod, plan.Revision);
        await events.RecordAsync(cluster, plan.Cold ? EventRecorder.Warning : EventRecorder.Normal, "PodUpdateStarted", PodUpdater.DeletedMessage(plan), ct).ConfigureAwait(false);
    }

    /// <summary>Progressing=True UpdatingPods while pods are being updated (a scale operation's condition wins); an event once done.</summary>
    private async Task ReportPodUpdateAsync(CacheCluster cluster, CacheClusterStatus status, PodUpdatePlan plan, ScaleStep? scale, CancellationToken ct)
    {
        bool wasUpdating = Conditions.Find(cluster.Status?.Conditions, ConditionTypes.Progressing)?.Reason == PodUpdater.ReasonUpdatingPods;
        if (!plan.Active)
        {
            if (wasUpdating && plan.Total > 0)
                await events.RecordAsync(cluster, EventRecorder.Normal, "PodsUpdated",
                    $"every node pod ({plan.Total}) runs revision {plan.Revision}, Ready, every replica tailing", ct).ConfigureAwait(false);
            return;
        }

        if (scale?.Operation is { Active: true })
            return;
        string message = PodUpdater.StatusMessage(plan);
        status.Message = status.Message is null ? message : $"{message}; {status.Message}";
        Conditions.Set(status.Conditions, new Condition
        {
            Type = ConditionTypes.Progressing,
            Status = "True",
            Reason = PodUpdater.ReasonUpdatingPods,
            Message = message,
            ObservedGeneration = cluster.Metadata.Generation ?? 0,
        }, time.GetUtcNow());
    }

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "cachecluster {Namespace}/{Name}: deleted pod {Pod} to update it to revision {Revision}")]
    private static partial void LogPodUpdate(ILogger logger, string @namespace, string name, string pod, string revision);
}
