namespace CacheOperator.Server;

/// <summary>How a cache role's memcached port is served, the node's or the router's (--transport, CACHE_NODE_TRANSPORT).</summary>
public enum NodeTransport
{
    /// <summary>Kestrel's socket transport: a receive loop and a send loop with a pipe on each side of the session.</summary>
    Kestrel,

    /// <summary>
    /// Our own accept loop: each read is received straight into the connection's buffer and its replies
    /// are sent from the same thread before the next receive (<see cref="Transport.DirectSocketListener"/>).
    /// </summary>
    Direct,
}
