using CacheOperator.Router.Routing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace CacheOperator.Router.Session;

/// <summary>Kestrel's entry point for client connections.</summary>
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

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _status.ConnectionOpened();
        try
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, _stopping);
            await new RouterSession(_router, _status).RunAsync(connection.Transport, ended.Token).ConfigureAwait(false);
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
