using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;

namespace CacheOperator.Sandbox.Controllers.Deployments;

/// <summary>
/// A Deployment's status from its pods, with the two conditions tools read: Available (at least
/// replicas - maxUnavailable pods Ready) and Progressing (True while rolling, reason NewReplicaSetAvailable once
/// complete; ProgressDeadlineExceeded is never reported). A condition keeps its lastTransitionTime while its status
/// stays the same. availableReplicas equals readyReplicas: minReadySeconds is not honoured.
/// </summary>
public static class DeploymentStatusCalculator
{
    public static DeploymentStatus Compute(string name, DeploymentPlanInput input, long? generation, DeploymentStatus? previous,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var active = input.Pods.Where(p => !p.Finished && !p.Terminating).ToList();
        int wanted = Math.Max(0, input.Replicas);
        int ready = active.Count(p => p.Ready);
        int updated = active.Count(p => p.Revision == input.TemplateHash);
        bool complete = updated == wanted && active.Count == wanted && ready == wanted;
        string replicaSet = name + "-" + input.TemplateHash;

        Condition available = ready >= wanted - input.MaxUnavailable
            ? new() { Type = "Available", Status = "True", Reason = "MinimumReplicasAvailable", Message = "Deployment has minimum availability." }
            : new() { Type = "Available", Status = "False", Reason = "MinimumReplicasUnavailable", Message = "Deployment does not have minimum availability." };
        Condition progressing = complete
            ? new() { Type = "Progressing", Status = "True", Reason = "NewReplicaSetAvailable", Message = $"ReplicaSet \"{replicaSet}\" has successfully progressed." }
            : new() { Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated", Message = $"ReplicaSet \"{replicaSet}\" is progressing." };

        return new DeploymentStatus
        {
            ObservedGeneration = generation,
            Replicas = active.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            UpdatedReplicas = updated,
            UnavailableReplicas = Math.Max(0, wanted - ready),
            Conditions = [Carry(available, previous, now), Carry(progressing, previous, now)],
            AdditionalProperties = previous?.AdditionalProperties,
        };
    }

    private static Condition Carry(Condition next, DeploymentStatus? previous, DateTimeOffset now)
    {
        Condition? before = previous?.Conditions?.FirstOrDefault(c => c.Type == next.Type);
        next.LastTransitionTime = before is not null && before.Status == next.Status && before.LastTransitionTime is not null
            ? before.LastTransitionTime
            : now;
        return next;
    }
}
