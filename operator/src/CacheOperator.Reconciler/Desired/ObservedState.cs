namespace CacheOperator.Reconciler.Desired;

/// <summary>What the desired objects depend on from the world as it is.</summary>
public sealed record ObservedState
{
    /// <summary>The cluster token: the existing Secret's, or a freshly generated one when there is none yet.</summary>
    public required string Token { get; init; }

    /// <summary><c>ring.json</c> of the existing ring ConfigMap.</summary>
    public string? RingJson { get; init; }

    /// <summary><c>members.json</c> of the existing ring ConfigMap.</summary>
    public string? MembersJson { get; init; }

    /// <summary><c>orchestration.json</c> as the scale step left it.</summary>
    public string? OrchestrationJson { get; init; }

    /// <summary>Pod name → IP of the cluster's node pods that have one.</summary>
    public IReadOnlyDictionary<string, string> PodIPs { get; init; } = new Dictionary<string, string>();

    /// <summary>Replica pods with a whole copy of their shard (see <see cref="Ring.RingPlanInput.ServingReplicas"/>); null: every replica.</summary>
    public IReadOnlySet<string>? ServingReplicas { get; init; }
}
