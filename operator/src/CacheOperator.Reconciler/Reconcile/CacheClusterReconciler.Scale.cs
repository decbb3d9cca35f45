using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Orchestration;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>The reconciler's part of a scale-out: one orchestration step per reconcile, before the ring is planned.</summary>
public sealed partial class CacheClusterReconciler
{
    /// <summary>How soon a cluster in the middle of a scale operation is looked at again.</summary>
    public static readonly TimeSpan ScaleRequeue = TimeSpan.FromSeconds(1);

    private async Task<ScaleStep> StepScaleAsync(CacheCluster cluster, ClusterNames names, ConfigMap? ringMap, string? members,
        IReadOnlyDictionary<string, ObservedPod> pods, IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> replicaPulls, string token, CancellationToken ct)
    {
        var routerPods = await world.ListAsync<Pod>(names.Namespace, ClusterLabels.RouterSelector(names.Cluster), ct).ConfigureAwait(false);
        var context = new ScaleContext
        {
            Names = names,
            WantedPools = ClusterTopology.Pools(cluster.Spec),
            RingJson = DataOf(ringMap, RingConfigMapBuilder.RingKey),
            MembersJson = members,
            OrchestrationJson = DataOf(ringMap, RingConfigMapBuilder.OrchestrationKey),
            Pods = pods,
            RouterIPs = [.. routerPods.Select(Observe).Where(p => p.Ready && !string.IsNullOrEmpty(p.IP)).Select(p => p.IP!)],
            RoutersDesired = cluster.Spec.Router.Replicas,
            Token = token,
            MaxLagItems = cluster.Spec.WarmUp.MaxLagItems,
            WarmUpTimeout = TimeSpan.FromSeconds(cluster.Spec.WarmUp.TimeoutSeconds),
            WarmUpBytesPerSecond = cluster.Spec.WarmUp.BytesPerSecond,
            WholeCopies = replicaPulls.Where(p => p.Value.Any(pull => pull.HoldsShard)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal),
            ReplicaPulls = replicaPulls,
            Now = time.GetUtcNow(),
        };

        // Lowering replicasPerShard promotes and stops replicas through the same node admins as failover and the
        // replica streams (tests replace those).
        var scale = new ScaleOrchestrator(_scaleNodes, routers) { Promoter = _failover.Nodes, ReplicaNodes = _replicas.Nodes };
        return await scale.StepAsync(context, ct).ConfigureAwait(false);
    }

    /// <summary>StandbysChanged for standbys added (the ring planner appends them at the next ordinals); lowering records its own.</summary>
    private async Task RecordStandbysAddedAsync(CacheCluster cluster, string? membersBefore, Ring.MemberAssignment after, CancellationToken ct)
    {
        var before = Ring.MemberAssignment.TryParse(membersBefore);
        if (before is null)
            return;
        foreach (var pool in after.Pools)
        {
            var old = before.Find(pool.Name);
            if (old is null || pool.Standbys <= old.Standbys)
                continue;
            var added = pool.Members.Where(m => old.Members.All(o => o.Pod != m.Pod)).Select(m => m.Pod);
            string scope = pool.Name == ClusterTopology.DefaultPool ? "" : $"pool {pool.Name}: ";
            await events.RecordAsync(cluster, EventRecorder.Normal, "StandbysChanged",
                $"{scope}standbys {old.Standbys} → {pool.Standbys}: {string.Join(", ", added)} added", ct).ConfigureAwait(false);
        }
    }

    private async Task RecordScaleEventsAsync(CacheCluster cluster, ScaleStep step, CancellationToken ct)
    {
        foreach (var e in step.Events)
            await events.RecordAsync(cluster, e.Warning ? EventRecorder.Warning : EventRecorder.Normal, e.Reason, e.Message, ct).ConfigureAwait(false);
    }
}
