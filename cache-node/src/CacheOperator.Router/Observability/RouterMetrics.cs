using CacheOperator.Metrics;
using CacheOperator.Server.Observability;

namespace CacheOperator.Router.Observability;

/// <summary>Router-wide series: ring version, client connections, reads answered from the gutter or as misses, hot keys; and the process and runtime series a node has.</summary>
internal sealed class RouterMetrics
{
    private readonly IMetricsFactory _factory;

    public RouterMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        _factory = registry;
        RingVersion = registry.Gauge("router_ring_version", "Version of the ring in use.");
        RingReloads = registry.Counter("router_ring_reloads_total", "Ring versions applied.");
        ClientConnections = registry.Gauge("router_client_connections", "Client connections open.");
        ClientRequests = registry.Counter("router_client_requests_total", "Requests received from clients.");
        TimerStalls = registry.Counter("router_timeout_check_stalls_total",
            "Times the router's request-timeout check ran over 100 ms late (the router itself was starved or paused) and judged no timeout.");
        ProcessMetrics.Register(registry);
    }

    public MetricsRegistry Registry { get; }

    public IGauge RingVersion { get; }

    public ICounter RingReloads { get; }

    public IGauge ClientConnections { get; }

    public ICounter ClientRequests { get; }

    public ICounter TimerStalls { get; }

    public BackendMetrics ForBackend(string pool, string backend) => new(_factory, pool, backend);

    /// <summary>Requests of a pool that a down shard turned into a gutter request, a miss or an error.</summary>
    public ICounter Fallback(string pool, string outcome) =>
        _factory.Counter("router_fallbacks_total", "Requests for a down shard, by what the router did instead.", ("pool", pool), ("outcome", outcome));

    /// <summary>Keys found hot in a pool.</summary>
    public ICounter HotKeys(string pool) =>
        _factory.Counter("router_hot_keys_detected_total", "Keys that crossed the hot-key threshold.", ("pool", pool));
}
