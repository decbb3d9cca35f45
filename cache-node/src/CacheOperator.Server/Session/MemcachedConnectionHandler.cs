using System.Buffers;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Session;

/// <summary>Kestrel's entry point for memcached connections: enforces the connection limit, then runs a session.</summary>
public sealed partial class MemcachedConnectionHandler : ConnectionHandler
{
    private readonly CacheStore _store;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly StatsReport _stats;
    private readonly ILogger<MemcachedConnectionHandler> _logger;

    /// <summary>Signalled when the host stops, so idle sessions end instead of holding shutdown up.</summary>
    private readonly CancellationToken _stopping;

    /// <summary>Connections being served; counted here so the limit check and the count cannot race.</summary>
    private int _open;

    public MemcachedConnectionHandler(CacheStore store, NodeOptions options, NodeMetrics metrics, StatsReport stats,
        IHostApplicationLifetime lifetime, ILogger<MemcachedConnectionHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _stopping = lifetime.ApplicationStopping;
        _store = store;
        _options = options;
        _metrics = metrics;
        _stats = stats;
        _logger = logger;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            _metrics.ConnectionRejected();
            LogRejected(_logger, connection.RemoteEndPoint?.ToString(), _options.MaxConnections);
            // memcached's own words when it is over its connection limit.
            connection.Transport.Output.Write("ERROR Too many open connections\r\n"u8);
            await connection.Transport.Output.FlushAsync().ConfigureAwait(false);
            return;
        }

        _metrics.ConnectionOpened();
        try
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, _stopping);
            var session = new MemcachedSession(_store, _options, _metrics, _stats);
            await session.RunAsync(connection.Transport, ended.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionResetException or OperationCanceledException or IOException)
        {
            // The client went away: nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            _metrics.ConnectionClosed();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Rejected connection from {Remote}: over the limit of {Limit}")]
    private static partial void LogRejected(ILogger logger, string? remote, int limit);
}
