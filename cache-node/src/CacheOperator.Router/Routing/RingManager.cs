using CacheOperator.Ring;
using CacheOperator.Router.Backends;
using CacheOperator.Router.Observability;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Router.Routing;

/// <summary>
/// Holds the route table in use and replaces it when a newer ring arrives, from the mounted file (polled) or
/// from POST /ring. The swap is one reference write: requests already routed finish on the old table, and no
/// client connection notices.
/// </summary>
internal sealed partial class RingManager : IDisposable
{
    private readonly RingLoader _loader = new();
    private readonly Lock _applyLock = new();
    private readonly BackendRegistry _registry;
    private readonly RouterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private RouteTable? _table;

    public RingManager(BackendRegistry registry, RouterMetrics metrics, ILogger logger)
    {
        _registry = registry;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The table in use; null until the first valid ring.</summary>
    public RouteTable? Current => Volatile.Read(ref _table);

    public long Version => Current?.Version ?? 0;

    /// <summary>Applies a ring document when it is valid and newer than the one in use.</summary>
    public RingLoadResult Load(ReadOnlySpan<byte> json)
    {
        if (!RingDocument.TryParse(json, out var ring, out var error))
            return new RingLoadResult(RingLoadStatus.Invalid, Version, error!.Message);

        // One applier at a time, so tables are published in the loader's (version) order.
        lock (_applyLock)
        {
            var result = _loader.TryApply(ring!);
            if (result.Status != RingLoadStatus.Applied)
                return result;
            var table = new RouteTable(ring!, _registry, _metrics);
            _registry.Heartbeat = ring!.Router.Heartbeat;
            Volatile.Write(ref _table, table);
            _registry.RetireAllBut(table.All.Select(b => b.Address).ToHashSet());
            _metrics.RingVersion.Set(table.Version);
            _metrics.RingReloads.Inc();
            LogApplied(_logger, table.Version);
            return result;
        }
    }

    /// <summary>Loads the file now (it must hold a valid ring) and then watches it for newer versions.</summary>
    public void WatchFile(string path, TimeSpan interval)
    {
        var first = Load(File.ReadAllBytes(path));
        if (first.Status is RingLoadStatus.Invalid)
            throw new ArgumentException($"ring file '{path}': {first.Error}", nameof(path));
        _ = PollAsync(path, interval, _stop.Token);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task PollAsync(string path, TimeSpan interval, CancellationToken stopping)
    {
        // A mounted ConfigMap changes by a symlink swap, which file watchers miss; polling the content is reliable.
        var last = Stamp(path);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                var stamp = Stamp(path);
                if (stamp == last)
                    continue;
                last = stamp;
                try
                {
                    var result = Load(await File.ReadAllBytesAsync(path, stopping).ConfigureAwait(false));
                    if (result.Status is RingLoadStatus.Invalid or RingLoadStatus.Stale)
                        LogRejected(_logger, path, result.Error ?? result.Status.ToString());
                }
                catch (IOException ex)
                {
                    LogRejected(_logger, path, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
        }
        catch (IOException)
        {
            return default;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Ring version {Version} in use")]
    private static partial void LogApplied(ILogger logger, long version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Ring file {Path} not applied: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);
}
