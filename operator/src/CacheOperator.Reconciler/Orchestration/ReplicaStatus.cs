using CacheOperator.Api.V1Alpha1;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>What replica streams add to status: each replica member's stream phase and lag.</summary>
public static class ReplicaStatus
{
    public static void Apply(CacheClusterStatus status, IReadOnlyList<ReplicaState>? replicas)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (replicas is null || status.Members is null)
            return;
        var byPod = replicas.ToDictionary(r => r.Pod, StringComparer.Ordinal);
        foreach (var member in status.Members)
        {
            if (byPod.TryGetValue(member.Name, out var state))
            {
                member.Replication = state.Phase;
                member.ReplicationLag = state.LagEntries;
            }
        }
    }
}
