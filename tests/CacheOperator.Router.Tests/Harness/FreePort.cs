using System.Net;
using System.Net.Sockets;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>An ephemeral loopback port, free when asked (a process started right after takes it).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
