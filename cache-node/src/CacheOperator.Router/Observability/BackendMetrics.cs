using CacheOperator.Metrics;
using CacheOperator.Router.Backends;

namespace CacheOperator.Router.Observability;

/// <summary>The series of one backend, labelled with its pool and address; created once, recorded lock-free.</summary>
internal sealed class BackendMetrics
{
    private static readonly double[] LatencyBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly ICounter _hard;
    private readonly ICounter _timeout;
    private readonly ICounter _down;
    private readonly ICounter _protocol;
    private readonly IGauge _up;
    private readonly ICounter _wentDown;
    private readonly ICounter _cameUp;

    public BackendMetrics(IMetricsFactory factory, string pool, string backend)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Requests = factory.Counter("router_backend_requests_total", "Requests sent to a backend.", ("pool", pool), ("backend", backend));
        Latency = factory.Histogram("router_backend_request_duration_seconds", "Time from writing a request to its reply.",
            LatencyBuckets, ("pool", pool), ("backend", backend));
        const string errorsHelp = "Requests to a backend that failed, by kind.";
        _hard = factory.Counter("router_backend_errors_total", errorsHelp, ("pool", pool), ("backend", backend), ("kind", "hard"));
        _timeout = factory.Counter("router_backend_errors_total", errorsHelp, ("pool", pool), ("backend", backend), ("kind", "timeout"));
        _down = factory.Counter("router_backend_errors_total", errorsHelp, ("pool", pool), ("backend", backend), ("kind", "down"));
        _protocol = factory.Counter("router_backend_errors_total", errorsHelp, ("pool", pool), ("backend", backend), ("kind", "protocol"));
        _up = factory.Gauge("router_backend_up", "1 while the router sends to a backend, 0 while it is marked down.", ("pool", pool), ("backend", backend));
        const string transitionsHelp = "Backend state changes.";
        _wentDown = factory.Counter("router_backend_transitions_total", transitionsHelp, ("pool", pool), ("backend", backend), ("to", "down"));
        _cameUp = factory.Counter("router_backend_transitions_total", transitionsHelp, ("pool", pool), ("backend", backend), ("to", "up"));
        DeletesRemembered = factory.Counter("router_backend_deletes_remembered_total", "Deletes kept for a down backend.", ("pool", pool), ("backend", backend));
        DeletesReplayed = factory.Counter("router_backend_deletes_replayed_total", "Remembered deletes sent when a backend returned.", ("pool", pool), ("backend", backend));
        DeletesDropped = factory.Counter("router_backend_deletes_dropped_total", "Remembered deletes dropped because the log was full.", ("pool", pool), ("backend", backend));
        _up.Set(1);
    }

    public ICounter Requests { get; }

    public IHistogram Latency { get; }

    public ICounter DeletesRemembered { get; }

    public ICounter DeletesReplayed { get; }

    public ICounter DeletesDropped { get; }

    public void Error(ReplyStatus status)
    {
        switch (status)
        {
            case ReplyStatus.Hard:
                _hard.Inc();
                break;
            case ReplyStatus.Timeout:
                _timeout.Inc();
                break;
            case ReplyStatus.Down:
                _down.Inc();
                break;
            case ReplyStatus.Protocol:
                _protocol.Inc();
                break;
            default:
                break;
        }
    }

    public void MarkedDown()
    {
        _up.Set(0);
        _wentDown.Inc();
    }

    public void MarkedUp()
    {
        _up.Set(1);
        _cameUp.Inc();
    }
}
