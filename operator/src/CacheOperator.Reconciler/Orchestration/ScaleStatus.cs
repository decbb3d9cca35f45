using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>What a scale operation adds to status: the Scaling phase, Progressing, and the warm-up streams.</summary>
public static class ScaleStatus
{
    public const string ReasonScalingOut = "ScalingOut";
    public const string ReasonScalingIn = "ScalingIn";
    public const string ReasonRemovingReplicas = "RemovingReplicas";
    public const string ReasonRemovingStandbys = "RemovingStandbys";

    /// <summary>A lowering of replicasPerShard copies a shard into a kept pod before anything leaves.</summary>
    public const string ReasonCopyingDown = "CopyingDown";

    public static void Apply(CacheClusterStatus status, ScaleOperation? operation, long generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (operation is null)
            return;

        // The last operation's streams stay visible after it finished, until the next one starts.
        status.WarmUps = [.. operation.Transfers.Select(t => new WarmUpStatus
        {
            Pool = operation.Pool,
            Shard = t.ToShard,
            Source = t.SourcePod,
            Target = t.TargetPod,
            Phase = operation.Active ? t.Phase : t.Dropped ? "Done" : t.Phase,
            ItemsCopied = t.Items,
            BytesCopied = t.Bytes,
            LagItems = t.LagItems,
            StartedAt = t.StartedAt,
        })];
        if (!operation.Active)
            return;

        // Status reports the shards of the published ring: the old count until the new table is out.
        if (operation.Pool == "default" && !operation.TablePublished)
            status.Shards = operation.FromShards.Count;

        string message = (operation.Lowering
                ? $"{operation.Operation} of pool {operation.Pool} ({operation.Change}): {operation.Phase}"
                : $"{operation.Operation} of pool {operation.Pool} to {operation.ToShards.Count} shards: {operation.Phase}")
            + (operation.Message is null ? "" : $": {operation.Message}");
        status.Phase = ClusterPhases.Scaling;
        status.Message = status.Message is null ? message : $"{message}; {status.Message}";
        Conditions.Set(status.Conditions, new Condition
        {
            Type = ConditionTypes.Progressing,
            Status = "True",
            Reason = operation.Phase == ScalePhase.CopyingDown ? ReasonCopyingDown : operation.Operation switch
            {
                ScaleOperation.ScaleIn => ReasonScalingIn,
                ScaleOperation.RemoveReplicas => ReasonRemovingReplicas,
                ScaleOperation.RemoveStandbys => ReasonRemovingStandbys,
                _ => ReasonScalingOut,
            },
            Message = message,
            ObservedGeneration = generation,
        }, now);
    }
}
