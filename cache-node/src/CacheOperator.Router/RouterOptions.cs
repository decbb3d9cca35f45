using CacheOperator.Server;
using CacheOperator.Server.Transport;

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
    /// What serves the clients' memcached port: the epoll transport where the machine has it (Linux x64 and arm64),
    /// whose loop threads also run the backend connections of their sessions; else the direct transport.
    /// </summary>
    public NodeTransport Transport { get; set; } = DirectSocketListener.SupportsEpoll ? NodeTransport.Epoll : NodeTransport.Direct;

    /// <summary>
    /// With <see cref="NodeTransport.Epoll"/>: how long an I/O thread keeps polling for events before it sleeps.
    /// Zero (the default) sleeps at once. For routers with cores of their own: a request through a router crosses
    /// two more threads than one straight to a node, and waking a sleeping thread on another core is the largest
    /// part of a hop's time on a virtual machine (docs/performance.md).
    /// </summary>
    public TimeSpan Poll { get; set; }

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
