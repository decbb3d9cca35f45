namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The node admin calls that keep replicas streaming from their primary. Failures answer null/false, never throw.</summary>
public interface IReplicaNodeAdmin
{
    /// <summary>The node's replica-mode pulls (GET /replication/streams, role replica); null when it did not answer.</summary>
    Task<IReadOnlyList<ReplicaPull>?> GetReplicaPullsAsync(string podIP, string token, CancellationToken ct);

    /// <summary>Starts a replica-mode pull of every bucket from the primary; the pull's id, or null when refused or unanswered.</summary>
    Task<string?> StartReplicaPullAsync(string replicaIP, string primaryIP, string token, CancellationToken ct);

    /// <summary>Ends a pull; true when it ended or did not exist.</summary>
    Task<bool> StopPullAsync(string targetIP, string pullId, string token, CancellationToken ct);
}
