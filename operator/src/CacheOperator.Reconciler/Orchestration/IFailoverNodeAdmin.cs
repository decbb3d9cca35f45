namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The node admin calls failover needs.</summary>
public interface IFailoverNodeAdmin
{
    /// <summary>POST /replication/promote: the replica stops pulling and takes writes. True when it answered 2xx.</summary>
    Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct);

    /// <summary>POST /replication/drop of every bucket: the node's cache is emptied. True when it answered 2xx.</summary>
    Task<bool> EmptyAsync(string podIP, string token, CancellationToken ct);
}
