using CacheOperator.Kubernetes.Models.Apps;

namespace CacheOperator.Sandbox.Controllers.StatefulSets;

/// <summary>
/// A StatefulSet's status from its pods. currentRevision is the revision the set is moving away from: it stays
/// what the previous status said until every wanted pod runs the update revision and is Ready, then becomes the
/// update revision (for OnDelete too, where the apps/v1 controller never advances it — a known wart not worth
/// copying). availableReplicas equals readyReplicas: minReadySeconds is not honoured.
/// </summary>
public static class StatefulSetStatusCalculator
{
    public static StatefulSetStatus Compute(StatefulSetPlanInput input, long? generation, StatefulSetStatus? previous)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pods = input.Pods
            .Where(p => StatefulSetNames.TryParseOrdinal(input.Name, p.Name, out _))
            .ToList();
        int replicas = pods.Count;
        int ready = pods.Count(p => p.Ready);
        int updated = pods.Count(p => !p.Terminating && p.Revision == input.UpdateRevision);
        string currentRevision = string.IsNullOrEmpty(previous?.CurrentRevision) ? input.UpdateRevision : previous.CurrentRevision;
        int current = pods.Count(p => !p.Terminating && p.Revision == currentRevision);
        int wanted = Math.Max(0, input.Replicas);
        if (updated == wanted && replicas == wanted && ready == wanted)
        {
            currentRevision = input.UpdateRevision;
            current = updated;
        }
        return new StatefulSetStatus
        {
            ObservedGeneration = generation,
            Replicas = replicas,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            CurrentReplicas = current,
            UpdatedReplicas = updated,
            CurrentRevision = currentRevision,
            UpdateRevision = input.UpdateRevision,
            CollisionCount = previous?.CollisionCount ?? 0,
            Conditions = previous?.Conditions,
            AdditionalProperties = previous?.AdditionalProperties,
        };
    }
}
