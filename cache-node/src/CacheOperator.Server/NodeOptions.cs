namespace CacheOperator.Server;

/// <summary>
/// Settings of the node role, named after memcached's where memcached has them
/// (flags: -p, -l, -m, -I, -c, -t; environment: CACHE_NODE_*).
/// </summary>
public sealed class NodeOptions
{
    /// <summary>Address the memcached and admin listeners bind to (-l, CACHE_NODE_LISTEN).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>memcached protocol port (-p, CACHE_NODE_PORT); 0 picks a free one.</summary>
    public int Port { get; set; } = 11211;

    /// <summary>Admin HTTP port: health, metrics, stats (--admin-port, CACHE_NODE_ADMIN_PORT); 0 picks a free one.</summary>
    public int AdminPort { get; set; } = 11212;

    /// <summary>Item memory in MiB (-m, CACHE_NODE_MEMORY_MB).</summary>
    public long MemoryLimitMegabytes { get; set; } = 64;

    /// <summary>Largest item in bytes (-I, CACHE_NODE_MAX_ITEM_SIZE; accepts k and m suffixes).</summary>
    public int MaxItemSize { get; set; } = 1024 * 1024;

    /// <summary>Simultaneous client connections (-c, CACHE_NODE_MAX_CONNECTIONS).</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>
    /// I/O threads (-t, CACHE_NODE_THREADS); defaults to the processor count. With <see cref="NodeTransport.Epoll"/>
    /// they are the transport's own loop threads, which run every session. The cache-node executable also sets the
    /// runtime's socket engine (epoll) thread count to it before the first socket exists: with inline completions
    /// those threads run every session on the other two transports (and the admin port's on all three); Kestrel's
    /// I/O queues (used with <see cref="NodeTransport.Kestrel"/>) are set to it too. The process's other threads
    /// (thread pool, GC, timers) serve no connection in steady state.
    /// </summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// What serves the memcached port (--transport, CACHE_NODE_TRANSPORT): the node's own epoll threads,
    /// <see cref="Threads"/> of them (the default where the platform has them: Linux x64 and arm64), or its direct
    /// transport or Kestrel's, both on the runtime's socket engine threads, <see cref="Threads"/> of them.
    /// </summary>
    public NodeTransport Transport { get; set; } = CacheOperator.Server.Transport.DirectSocketListener.SupportsEpoll ? NodeTransport.Epoll : NodeTransport.Direct;

    /// <summary>Longest request line accepted before the connection is closed.</summary>
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>
    /// File holding the cluster token the replication endpoints require (--cluster-token-file); when unset the
    /// token comes from CACHE_NODE_CLUSTER_TOKEN_FILE or CACHE_NODE_CLUSTER_TOKEN.
    /// </summary>
    public string? ClusterTokenFile { get; set; }

    /// <summary>Serve the replication endpoints without a token (--insecure-dev-mode): development only.</summary>
    public bool InsecureDevelopmentMode { get; set; }

    /// <summary>Log level for the console (-v raises it).</summary>
    public int Verbosity { get; set; }
}
