using CacheOperator.Server;

namespace CacheOperator.Router;

/// <summary>Settings of the router role, read from the command line and CACHE_NODE_* variables.</summary>
public sealed class RouterOptions
{
    /// <summary>The ring document (the mounted ConfigMap); re-read when it changes.</summary>
    public string RingFile { get; set; } = "";

    /// <summary>memcached port for clients; 0 picks a free one.</summary>
    public int Port { get; set; } = 11211;

    /// <summary>Address both listeners bind.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Admin HTTP port; 0 picks a free one.</summary>
    public int AdminPort { get; set; } = 11212;

    /// <summary>
    /// I/O threads: the runtime's socket engine (epoll) threads, which run every session and backend connection
    /// (unless DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT is set), and Kestrel's I/O queues.
    /// </summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// What serves the clients' memcached port: Kestrel's, or the direct transport the node uses by default. Kestrel
    /// stays the router's default: the direct one measured no faster here (docs/performance.md).
    /// </summary>
    public NodeTransport Transport { get; set; } = NodeTransport.Kestrel;

    /// <summary>Logging level: 0 warnings, 1 information, 2 and more debug.</summary>
    public int Verbosity { get; set; }

    /// <summary>Connections kept open to each backend; requests are pipelined on them.</summary>
    public int ConnectionsPerBackend { get; set; } = 2;

    /// <summary>How often the ring file is checked for a change.</summary>
    public TimeSpan RingFilePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cluster token POST /ring requires; null reads CACHE_NODE_CLUSTER_TOKEN(_FILE).</summary>
    public string? ClusterToken { get; set; }

    /// <summary>Deletes remembered per down backend, replayed when it returns; the oldest are dropped beyond this.</summary>
    public int DeleteReplayLimit { get; set; } = 10_000;
}
