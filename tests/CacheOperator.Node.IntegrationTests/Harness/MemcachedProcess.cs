using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>Debian's memcached on a free loopback port: the reference every comparison is made against.</summary>
public sealed class MemcachedProcess : ICacheServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly ChildProcess _child;

    private MemcachedProcess(ChildProcess child, int port)
    {
        _child = child;
        Port = port;
    }

    public string Name => "memcached";

    public int Port { get; }

    public int Pid => _child.Pid;

    public bool HasExited => _child.HasExited;

    public static MemcachedProcess Start(ServerSettings? settings = null)
    {
        ExternalTools.RequireMemcached();
        settings ??= ServerSettings.Default;
        string? lastFailure = null;

        // The free port is only free when we looked; another process may take it before memcached binds, so a
        // bind failure is retried on a new port.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort.Next();
            var arguments = new List<string>
            {
                "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-l", "127.0.0.1", "-U", "0", "-u", "root",
                "-m", settings.MemoryMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (settings.MaxItemSize is { } maxItemSize)
            {
                arguments.AddRange(["-I", maxItemSize]);
            }

            if (settings.Threads is { } threads)
            {
                arguments.AddRange(["-t", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            var child = ChildProcess.Start(ExternalTools.MemcachedPath, arguments);
            try
            {
                if (WaitUntilAccepting(child, port))
                {
                    return new MemcachedProcess(child, port);
                }

                lastFailure = child.Describe();
            }
            catch
            {
                child.Dispose();
                throw;
            }

            child.Dispose();
        }

        throw new InvalidOperationException($"memcached did not start after 5 attempts.\n{lastFailure}");
    }

    public long? ReadRssKilobytes() => _child.ReadRssKilobytes();

    public string Describe() => _child.Describe();

    public void Dispose() => _child.Dispose();

    private static bool WaitUntilAccepting(ChildProcess child, int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (child.HasExited)
            {
                return false;
            }

            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        return false;
    }
}
