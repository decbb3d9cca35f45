using System.IO.Pipelines;
using CacheOperator.Router.Routing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace CacheOperator.Router.Session;

/// <summary>The entry point for client connections, from Kestrel or from the direct transport.</summary>
internal sealed class RouterConnectionHandler : ConnectionHandler
{
    private readonly RequestRouter _router;
    private readonly RouterStatus _status;
    private readonly CancellationToken _stopping;

    public RouterConnectionHandler(RequestRouter router, RouterStatus status, IHostApplicationLifetime lifetime)
    {
        _router = router;
        _status = status;
        _stopping = lifetime.ApplicationStopping;
    }

    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ServeAsync(connection.Transport, connection.ConnectionClosed);
    }

    /// <summary>
    /// Runs a session over whichever transport carries the connection until the client leaves,
    /// <paramref name="closed"/> fires or the host stops.
    /// </summary>
    internal async Task ServeAsync(IDuplexPipe transport, CancellationToken closed)
    {
        _status.ConnectionOpened();
        try
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(closed, _stopping);
            await new RouterSession(_router, _status).RunAsync(transport, ended.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionResetException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            _status.ConnectionClosed();
        }
    }
}
