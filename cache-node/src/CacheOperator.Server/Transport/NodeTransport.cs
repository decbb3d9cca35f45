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

    /// <summary>
    /// Our own accept loop and our own epoll threads (-t of them), each owning its connections as memcached's
    /// worker threads do: a read waits for the kernel's event instead of first making a receive that finds
    /// nothing (<see cref="Transport.EpollLoop"/>). Linux x64 and arm64. A router's loops also run the backend
    /// connections of their own sessions, so a request and its backend's reply are served by one thread.
    /// </summary>
    Epoll,
}
