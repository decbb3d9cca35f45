using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>
/// -t is the router's I/O thread count, as on the node: the runtime's socket engine runs exactly that many epoll
/// threads (named ".NET Sockets"), whatever the processor count, and they serve clients and backends alike.
/// </summary>
[Trait("Category", "Integration")]
public sealed class IoThreadCountTests : IDisposable
{
    /// <summary>The name the runtime gives its socket engine threads, as /proc shows it.</summary>
    private const string SocketThreadName = ".NET Sockets";

    /// <summary>The name of the epoll transport's loop threads (EpollLoop.ThreadName).</summary>
    private const string LoopThreadName = "cache-node io";

    private const int Connections = 4;

    private readonly BackendProcess _backend = BackendProcess.Memcached();
    private readonly string _directory = Directory.CreateTempSubdirectory("router-threads-").FullName;

    [Theory]
    [InlineData(1, "kestrel")]
    [InlineData(3, "kestrel")]
    [InlineData(1, "direct")]
    public async Task RouterStartedWithThreads_RunsExactlyThatManySocketEngineThreads(int threads, string transport)
    {
        using var router = await StartAnsweringAsync(threads, transport);

        Assert.Equal(threads, CountThreadsNamed(router.Pid, SocketThreadName));
    }

    /// <summary>On epoll, -t is the number of loop threads, which run the clients and their backend connections alike.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task RouterOnEpollStartedWithThreads_RunsExactlyThatManyLoopThreads(int threads)
    {
        using var router = await StartAnsweringAsync(threads, "epoll");

        Assert.Equal(threads, CountThreadsNamed(router.Pid, LoopThreadName));
    }

    /// <summary>
    /// Without -t a router runs one loop per core, but at most four: each loop opens its own connections to every
    /// backend, and a pod without a CPU limit sees every core of its host (here the runtime is told it has 16).
    /// </summary>
    [Fact]
    public async Task RouterWithoutThreadsOnAManyCoreHost_RunsFourLoopThreads()
    {
        using var router = await StartAnsweringAsync(null, "epoll", new Dictionary<string, string?> { ["DOTNET_PROCESSOR_COUNT"] = "16" });

        Assert.Equal(4, CountThreadsNamed(router.Pid, LoopThreadName));
    }

    /// <summary>A router on <paramref name="transport"/> that has answered several connections through its backend.</summary>
    private async Task<RouterProcess> StartAnsweringAsync(int? threads, string transport, Dictionary<string, string?>? extraEnvironment = null)
    {
        var ringFile = Path.Combine(_directory, "ring.json");
        await File.WriteAllBytesAsync(ringFile, RingFactory.Json(RingFactory.Ring(1, [RingFactory.Pool("main", [], [_backend.Address])])));
        // An inherited override (this test process's own router hosts set one) would decide the count instead of -t.
        var environment = new Dictionary<string, string?>(extraEnvironment ?? []) { ["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = null };
        string[] arguments = threads is { } count
            ? ["-t", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--transport", transport]
            : ["--transport", transport];
        var router = new RouterProcess(ringFile, environment, oneThread: threads is not null, arguments);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Several connections answered through the backend: the engine has started, and its threads are all it has.
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, router.Port), deadline.Token);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"get threads:{i}\r\n"), SocketFlags.None, deadline.Token);
                var reply = new byte[64];
                var n = await socket.ReceiveAsync(reply, SocketFlags.None, deadline.Token);
                Assert.Equal("END\r\n", Encoding.ASCII.GetString(reply, 0, n));
            }

            return router;
        }
        catch
        {
            router.Dispose();
            throw;
        }
        finally
        {
            foreach (var socket in clients)
                socket.Dispose();
        }
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static int CountThreadsNamed(int pid, string name) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .Count(task => File.Exists(Path.Combine(task, "comm"))
                && string.Equals(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'), name, StringComparison.Ordinal));
}
