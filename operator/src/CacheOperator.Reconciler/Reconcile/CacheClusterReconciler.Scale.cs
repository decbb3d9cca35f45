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

    private async Task<ScaleStep> StepScaleAsync(
        CacheCluster cluster, ClusterNames names, ConfigMap? ringMap, string? members, IReadOnlyDictionary<string, ObservedPod> pods, string token, CancellationToken ct)
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
            Now = time.GetUtcNow(),
        };
        return await _scale.StepAsync(context, ct).ConfigureAwait(false);
    }

    private async Task RecordScaleEventsAsync(CacheCluster cluster, ScaleStep step, CancellationToken ct)
    {
        foreach (var e in step.Events)
            await events.RecordAsync(cluster, e.Warning ? EventRecorder.Warning : EventRecorder.Normal, e.Reason, e.Message, ct).ConfigureAwait(false);
    }
}
