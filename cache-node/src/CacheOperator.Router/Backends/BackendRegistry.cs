using System.Collections.Concurrent;
using System.Diagnostics;
using CacheOperator.Ring;
using CacheOperator.Router.Observability;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Router.Backends;

/// <summary>
/// Every backend the router knows, by address. A ring swap reuses the backends of addresses it keeps (their
/// connections and state carry over); those it drops are closed after a grace period so in-flight requests finish.
/// </summary>
internal sealed partial class BackendRegistry : IDisposable
{
    /// <summary>How long a backend no ring names is kept, for requests still routed by the old ring.</summary>
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(30);

    /// <summary>How often request ages are checked against the request timeout.</summary>
    private static readonly TimeSpan TimeoutCheckPeriod = TimeSpan.FromMilliseconds(25);

    private readonly ConcurrentDictionary<NodeAddress, Backend> _backends = new();
    private readonly RouterMetrics _metrics;
    private readonly RouterOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private HeartbeatSettings _heartbeat = HeartbeatSettings.Default;
    private IReadOnlySet<NodeAddress> _inUse = new HashSet<NodeAddress>();

    public BackendRegistry(RouterMetrics metrics, RouterOptions options, ILogger logger)
    {
        _metrics = metrics;
        _options = options;
        _logger = logger;
        new Thread(TimeoutLoop) { IsBackground = true, Name = "Router timeouts" }.Start();
    }

    public HeartbeatSettings Heartbeat
    {
        get => Volatile.Read(ref _heartbeat);
        set => Volatile.Write(ref _heartbeat, value);
    }

    public IEnumerable<Backend> All => _backends.Values;

    public Backend GetOrAdd(NodeAddress address, string pool) =>
        _backends.GetOrAdd(address, a =>
        {
            var backend = new Backend(a, pool, _metrics.ForBackend(pool, a.ToString()), () => Heartbeat,
                _options.ConnectionsPerBackend, _options.DeleteReplayLimit, _logger);
            backend.Start();
            return backend;
        });

    public Backend? Find(NodeAddress address) => _backends.TryGetValue(address, out var backend) ? backend : null;

    /// <summary>Closes, after the grace period, the backends not in <paramref name="inUse"/>.</summary>
    public void RetireAllBut(IReadOnlySet<NodeAddress> inUse)
    {
        Volatile.Write(ref _inUse, inUse);
        foreach (var (address, backend) in _backends)
        {
            if (inUse.Contains(address))
                continue;
            _ = RetireLaterAsync(address, backend);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var backend in _backends.Values)
            backend.Dispose();
        _backends.Clear();
        _stop.Dispose();
    }

    private async Task RetireLaterAsync(NodeAddress address, Backend backend)
    {
        try
        {
            await Task.Delay(RetireAfter, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // A newer ring may have brought the address back in the meantime; only the same instance is removed.
        if (!Volatile.Read(ref _inUse).Contains(address) && _backends.TryRemove(new KeyValuePair<NodeAddress, Backend>(address, backend)))
            backend.Dispose();
    }

    /// <summary>
    /// Checks request ages every <see cref="TimeoutCheckPeriod"/> on a thread of its own, which sleeps in between.
    /// </summary>
    /// <remarks>
    /// Not a timer: each timer tick is a thread-pool work item, and a pool worker that has run one spins
    /// (sched_yield) for a while looking for more before it sleeps. Forty ticks a second made that spinning 15% of
    /// a one-core router's CPU under load, on the core its socket thread needs (bench/results/router-cpu-profile.md).
    /// </remarks>
    private void TimeoutLoop()
    {
        var clock = new TimeoutClock((long)(TimeoutCheckPeriod.TotalSeconds * Stopwatch.Frequency));
        while (!_stop.IsCancellationRequested)
        {
            Thread.Sleep(TimeoutCheckPeriod);
            if (_stop.IsCancellationRequested)
                return;
            var now = Stopwatch.GetTimestamp();
            if (!clock.Tick(now))
            {
                _metrics.TimerStalls.Inc();
                continue;
            }

            foreach (var backend in _backends.Values)
            {
                try
                {
                    backend.CheckTimeouts(now);
                }
                catch (Exception ex)
                {
                    // A fault in one check must not end the process (this is a thread, not a task) nor later checks.
                    LogCheckFailed(_logger, backend.Name, ex);
                }
            }
        }
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Timeout check of backend {Backend} failed")]
    private static partial void LogCheckFailed(ILogger logger, string backend, Exception exception);
}
