namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The node admin calls failover needs.</summary>
public interface IFailoverNodeAdmin
{
    /// <summary>POST /replication/promote: the replica stops pulling and takes writes. True when it answered 2xx.</summary>
    Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct);

    /// <summary>POST /replication/drop of every bucket: the node's cache is emptied. True when it answered 2xx.</summary>
    Task<bool> EmptyAsync(string podIP, string token, CancellationToken ct);

    /// <summary>
    /// GET /healthz on the admin port with a short timeout: true when the node answered 2xx. The operator's own view
    /// of the node, independent of the kubelet's readiness probe (a frozen process, or a partition between the
    /// operator and the node, fails it before or without the pod turning not Ready).
    /// </summary>
    Task<bool> ProbeAsync(string podIP, string token, CancellationToken ct);
}
