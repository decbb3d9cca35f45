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
    /// I/O threads: with <see cref="NodeTransport.Epoll"/> the loop threads, each running its clients and its own
    /// backend connections; otherwise the runtime's socket engine (epoll) threads (unless
    /// DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT is set) and Kestrel's I/O queues.
    /// </summary>
    public int Threads { get; set; } = DefaultThreads;

    /// <summary>Loop threads a router runs unless told: one per core, at most <see cref="MaxDefaultThreads"/>.</summary>
    public static int DefaultThreads => Math.Min(Environment.ProcessorCount, MaxDefaultThreads);

    /// <summary>
    /// Every loop thread opens its own connections to each backend it sends to, so a node receives routers ×
    /// threads × <see cref="ConnectionsPerBackend"/> connections. A router pod without a CPU limit sees all the host's
    /// cores: on a 64-core host ten routers would hold 1,280 connections to each node, past a node's default limit of
    /// 1,024. Four threads carry more than one router needs here (memcached's own default is four threads; mcrouter
    /// runs one proxy thread unless told); -t sets more.
    /// </summary>
    public const int MaxDefaultThreads = 4;

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
