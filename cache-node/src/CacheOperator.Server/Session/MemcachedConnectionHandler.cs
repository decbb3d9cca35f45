using System.Buffers;
using System.IO.Pipelines;
using System.Net;
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

    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ServeAsync(connection.Transport, connection.RemoteEndPoint, connection.ConnectionClosed);
    }

    /// <summary>
    /// Serves one connection over whichever transport carries it (Kestrel's or the node's own): refuses it when
    /// over the limit, otherwise runs a session until the client leaves, <paramref name="closed"/> fires or the host stops.
    /// </summary>
    internal async Task ServeAsync(IDuplexPipe transport, EndPoint? remote, CancellationToken closed)
    {
        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            _metrics.ConnectionRejected();
            LogRejected(_logger, remote?.ToString(), _options.MaxConnections);
            // memcached's own words when it is over its connection limit.
            transport.Output.Write("ERROR Too many open connections\r\n"u8);
            await transport.Output.FlushAsync().ConfigureAwait(false);
            return;
        }

        _metrics.ConnectionOpened();
        try
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(closed, _stopping);
            var session = new MemcachedSession(_store, _options, _metrics, _stats);
            await session.RunAsync(transport, ended.Token).ConfigureAwait(false);
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
