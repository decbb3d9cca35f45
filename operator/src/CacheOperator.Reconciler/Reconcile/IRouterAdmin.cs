namespace CacheOperator.Reconciler.Reconcile;

/// <summary>The routers' admin endpoints the operator uses: the ring version served, and pushing a new ring.</summary>
public interface IRouterAdmin
{
    /// <summary>The ring version a router serves; null when it cannot be asked (down, unreachable, no ring).</summary>
    Task<long?> GetRingVersionAsync(string podIP, CancellationToken ct);

    /// <summary>POSTs the ring document with the cluster token; true when the router took it (or already had it).</summary>
    Task<bool> PushRingAsync(string podIP, string ringJson, string token, CancellationToken ct);
}
