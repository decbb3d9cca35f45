using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.Threads;

/// <summary>
/// -t limits the node's I/O threads as memcached's -t does, whatever the processor count: on the epoll transport
/// the node runs exactly that many loop threads of its own (named "cache-node io"), which serve every connection;
/// on the others the runtime's socket engine runs exactly that many epoll threads (named ".NET Sockets").
/// </summary>
[Trait("Category", "Integration")]
public sealed class IoThreadCountTests
{
    /// <summary>The name the runtime gives its socket engine threads, as /proc shows it (15 characters at most).</summary>
    private const string SocketThreadName = ".NET Sockets";

    /// <summary>The name of the epoll transport's loop threads (EpollLoop.ThreadName).</summary>
    private const string LoopThreadName = "cache-node io";

    private const int Connections = 4;

    [Theory]
    [InlineData(1, "direct")]
    [InlineData(3, "direct")]
    [InlineData(1, "kestrel")]
    public async Task NodeStartedWithThreads_RunsExactlyThatManySocketEngineThreads(int threads, string transport)
        => await AssertThreadsAsync(threads, transport, SocketThreadName);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task NodeOnEpollTransportStartedWithThreads_RunsExactlyThatManyLoopThreads(int threads)
        => await AssertThreadsAsync(threads, "epoll", LoopThreadName);

    private static async Task AssertThreadsAsync(int threads, string transport, string threadName)
    {
        // An inherited override would decide the count instead of -t.
        var environment = new Dictionary<string, string?> { ["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = null };
        using var node = CacheNodeProcess.Start(new ServerSettings(Threads: threads, Transport: transport), environment: environment);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Several connections answered: the engine has started, and its threads are all it has.
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, node.Port), deadline.Token);
                await socket.SendAsync("version\r\n"u8.ToArray(), SocketFlags.None, deadline.Token);
                var reply = new byte[64];
                var n = await socket.ReceiveAsync(reply, SocketFlags.None, deadline.Token);
                Assert.StartsWith("VERSION ", Encoding.ASCII.GetString(reply, 0, n), StringComparison.Ordinal);
            }

            Assert.Equal(threads, CountThreadsNamed(node.Pid, threadName));
        }
        finally
        {
            foreach (var socket in clients)
                socket.Dispose();
        }
    }

    private static int CountThreadsNamed(int pid, string name) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .Count(task => File.Exists(Path.Combine(task, "comm"))
                && string.Equals(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'), name, StringComparison.Ordinal));
}
