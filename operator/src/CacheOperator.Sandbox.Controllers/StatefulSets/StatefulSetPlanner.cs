namespace CacheOperator.Sandbox.Controllers.StatefulSets;

/// <summary>
/// Decides what a StatefulSet does next, as the apps/v1 controller does, from a snapshot of its pods. Called
/// again after every change, so each answer is only the next step, never a sequence to remember.
/// <list type="bullet">
/// <item>Ordinals below replicas: a missing one is created; a Failed or Succeeded one is deleted (and created
/// again once gone); a terminating one is waited for, because its name is not free yet. OrderedReady stops at
/// the first pod it creates, deletes or finds not Ready; Parallel goes on.</item>
/// <item>Ordinals at or above replicas are deleted highest first. OrderedReady deletes one at a time, waits for it
/// to be gone, and does not delete while another pod is unhealthy (scaling down never makes an outage worse).</item>
/// <item>RollingUpdate: from the highest ordinal down to the partition, the first pod not at the update revision
/// is deleted (it comes back at the new revision through the first rule); an unhealthy pod on the way stops the
/// walk, so one pod is replaced at a time and each only after the one above is Ready again.</item>
/// </list>
/// </summary>
public static class StatefulSetPlanner
{
    public static StatefulSetPlan Plan(StatefulSetPlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int replicas = Math.Max(0, input.Replicas);
        bool ordered = !input.Parallel;
        var slots = new PodFacts?[replicas];
        var condemned = new List<(int Ordinal, PodFacts Pod)>();
        foreach (PodFacts pod in input.Pods)
        {
            if (!StatefulSetNames.TryParseOrdinal(input.Name, pod.Name, out int ordinal))
                continue;
            if (ordinal < replicas)
                slots[ordinal] = pod;
            else
                condemned.Add((ordinal, pod));
        }
        condemned.Sort((a, b) => b.Ordinal.CompareTo(a.Ordinal));

        // The pod scale-down may touch although it is unhealthy: the first unhealthy one in the order the
        // controller walks (slots up, then condemned down). Any other unhealthy pod blocks an ordered scale-down.
        PodFacts? firstUnhealthy = slots.FirstOrDefault(p => p is not null && !p.Healthy)
            ?? condemned.Select(c => c.Pod).FirstOrDefault(p => !p.Healthy);

        var create = new List<int>();
        var delete = new List<string>();
        StatefulSetPlan Result() => new(create, delete);

        for (int ordinal = 0; ordinal < replicas; ordinal++)
        {
            PodFacts? pod = slots[ordinal];
            if (pod is null)
            {
                create.Add(ordinal);
                if (ordered)
                    return Result();
                continue;
            }
            if (pod.Terminating)
            {
                if (ordered)
                    return Result();
                continue;
            }
            if (pod.Finished)
            {
                delete.Add(pod.Name);
                if (ordered)
                    return Result();
                continue;
            }
            if (ordered && !pod.Ready)
                return Result();
        }

        foreach ((_, PodFacts pod) in condemned)
        {
            if (pod.Terminating)
            {
                if (ordered)
                    return Result();
                continue;
            }
            if (ordered && !pod.Healthy && !ReferenceEquals(pod, firstUnhealthy))
                return Result();
            delete.Add(pod.Name);
            if (ordered)
                return Result();
        }

        if (!input.RollingUpdate || create.Count > 0 || delete.Count > 0)
            return Result();

        int lowest = Math.Clamp(input.Partition, 0, replicas);
        for (int ordinal = replicas - 1; ordinal >= lowest; ordinal--)
        {
            PodFacts? pod = slots[ordinal];
            if (pod is null)
                return Result();
            if (pod.Revision != input.UpdateRevision && !pod.Terminating)
            {
                delete.Add(pod.Name);
                return Result();
            }
            if (!pod.Healthy)
                return Result();
        }
        return Result();
    }
}
