using System.Net;
using System.Net.Sockets;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>Ephemeral loopback ports for servers that cannot pick their own (memcached).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
