using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

/// <summary>Reads and updates status condition lists the way Kubernetes tools expect.</summary>
public static class Conditions
{
    public static Condition? Find(IEnumerable<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<Condition>? conditions, string type) => Find(conditions, type)?.Status == "True";

    /// <summary>
    /// Adds or updates the condition of <paramref name="condition"/>'s type. lastTransitionTime moves (to the
    /// condition's own value, else <paramref name="now"/>) only when the status changes, so it says since when the
    /// condition has held. Returns whether anything changed, so an unchanged status need not be written.
    /// </summary>
    public static bool Set(IList<Condition> conditions, Condition condition, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(condition);
        var existing = Find(conditions, condition.Type);
        if (existing is null)
        {
            conditions.Add(new Condition
            {
                Type = condition.Type,
                Status = condition.Status,
                ObservedGeneration = condition.ObservedGeneration,
                LastTransitionTime = condition.LastTransitionTime ?? now ?? DateTimeOffset.UtcNow,
                Reason = condition.Reason,
                Message = condition.Message,
            });
            return true;
        }

        bool changed = false;
        if (existing.Status != condition.Status)
        {
            existing.Status = condition.Status;
            existing.LastTransitionTime = condition.LastTransitionTime ?? now ?? DateTimeOffset.UtcNow;
            changed = true;
        }
        else if (existing.LastTransitionTime is null)
        {
            existing.LastTransitionTime = condition.LastTransitionTime ?? now ?? DateTimeOffset.UtcNow;
            changed = true;
        }
        if (existing.ObservedGeneration != condition.ObservedGeneration)
        {
            existing.ObservedGeneration = condition.ObservedGeneration;
            changed = true;
        }
        if (existing.Reason != condition.Reason)
        {
            existing.Reason = condition.Reason;
            changed = true;
        }
        if (existing.Message != condition.Message)
        {
            existing.Message = condition.Message;
            changed = true;
        }
        return changed;
    }

    /// <summary>Removes the condition of that type; returns whether there was one.</summary>
    public static bool Remove(IList<Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }
}
