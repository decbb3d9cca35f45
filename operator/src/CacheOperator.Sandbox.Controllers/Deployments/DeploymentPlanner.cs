namespace CacheOperator.Sandbox.Controllers.Deployments;

/// <summary>
/// Decides what a Deployment does next from a snapshot of its pods. Pods carry the template hash they were made
/// from; those with the current hash are "new", the rest "old". There are no ReplicaSets: the arithmetic the
/// apps/v1 controller does over ReplicaSet sizes is done here over pod counts.
/// <list type="bullet">
/// <item>Failed or Succeeded pods are deleted and do not count.</item>
/// <item>Recreate: delete every old pod, wait until they are all gone, then create the new ones.</item>
/// <item>RollingUpdate: create new pods while the total stays within replicas + maxSurge; delete old pods while
/// the available (Ready) pods stay at least replicas - maxUnavailable, not-Ready old pods first.</item>
/// <item>Without old pods: create or delete to reach replicas (unscheduled, then not-Ready, then newest first).</item>
/// </list>
/// </summary>
public static class DeploymentPlanner
{
    public static DeploymentPlan Plan(DeploymentPlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int replicas = Math.Max(0, input.Replicas);
        var delete = input.Pods.Where(p => p.Finished && !p.Terminating).Select(p => p.Name).ToList();
        var active = input.Pods.Where(p => !p.Finished && !p.Terminating).ToList();
        var current = active.Where(p => p.Revision == input.TemplateHash).ToList();
        var old = active.Where(p => p.Revision != input.TemplateHash).ToList();

        if (input.Recreate && old.Count > 0)
        {
            delete.AddRange(old.Select(p => p.Name));
            return new DeploymentPlan(0, delete);
        }
        if (input.Recreate && input.Pods.Any(p => p.Terminating && !p.Finished && p.Revision != input.TemplateHash))
            return new DeploymentPlan(0, delete);

        if (current.Count > replicas)
        {
            delete.AddRange(DeletionOrder(current).Take(current.Count - replicas).Select(p => p.Name));
            return new DeploymentPlan(0, delete);
        }
        if (old.Count == 0)
            return new DeploymentPlan(replicas - current.Count, delete);

        int room = replicas + input.MaxSurge - active.Count;
        int create = Math.Min(replicas - current.Count, room);
        if (create > 0)
            return new DeploymentPlan(create, delete);

        int minAvailable = replicas - input.MaxUnavailable;
        int newUnavailable = current.Count(p => !p.Ready);
        int maxScaledDown = active.Count - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
            return new DeploymentPlan(0, delete);

        // Old pods that serve nothing go first: removing them costs no availability.
        var unhealthyOld = DeletionOrder(old.Where(p => !p.Ready)).Take(maxScaledDown).ToList();
        delete.AddRange(unhealthyOld.Select(p => p.Name));
        int available = active.Count(p => p.Ready);
        int readyOldToDelete = Math.Min(available - minAvailable, maxScaledDown - unhealthyOld.Count);
        if (readyOldToDelete > 0)
            delete.AddRange(DeletionOrder(old.Where(p => p.Ready)).Take(readyOldToDelete).Select(p => p.Name));
        return new DeploymentPlan(0, delete);
    }

    /// <summary>The order a ReplicaSet gives up pods in: the ones that matter least first.</summary>
    public static IEnumerable<PodFacts> DeletionOrder(IEnumerable<PodFacts> pods) => pods
        .OrderBy(p => p.Scheduled)
        .ThenBy(p => p.Ready)
        .ThenByDescending(p => p.Created ?? DateTimeOffset.MaxValue)
        .ThenBy(p => p.Name, StringComparer.Ordinal);
}
