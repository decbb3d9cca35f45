using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Server.Hosting;
using CacheOperator.Server.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Server.Tests;

/// <summary>
/// One epoll loop thread serves many connections: a client that keeps its socket full must not hold the thread
/// while the loop's other clients wait. The loop bounds a connection's receives in a row
/// (EpollPipeReader.ReceivesPerTurn, as memcached bounds requests per event). On this kernel a flood's reads also
/// come back short now and then, which hands the thread back too, so the flood test guards what a user sees whichever
/// of the two provides it; the queued-bytes test pins the bound itself (it fails with the bound lifted).
/// </summary>
public sealed class EpollFairnessTests : IAsyncLifetime
{
    /// <summary>The transport's bound (EpollPipeReader.ReceivesPerTurn, internal to the server).</summary>
    private const int EpollReceivesPerTurn = 16;

    private static readonly TimeSpan FloodFor = TimeSpan.FromSeconds(6);

    private NodeHost? _host;

    public async Task InitializeAsync()
    {
        _host = NodeHost.Create(new NodeOptions
        {
            Port = 0, AdminPort = 0, MemoryLimitMegabytes = 8, Threads = 1, Transport = NodeTransport.Epoll,
        });
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClientKeepingItsSocketFull_DoesNotHoldTheLoop_FromAnotherClientOnTheSameThread()
    {
        var endPoint = _host!.MemcachedEndPoint;
        using var flooder = new TcpClient();
        await flooder.ConnectAsync(endPoint);
        using var other = new TcpClient();
        await other.ConnectAsync(endPoint);
        var otherStream = other.GetStream();
        // The other client is known to the loop before the flood starts.
        await otherStream.WriteAsync("version\r\n"u8.ToArray());
        Assert.StartsWith("VERSION", await ReadLineAsync(otherStream));

        using var flood = new CancellationTokenSource(FloodFor);
        // No replies: nothing the flooder reads slowly can make the node wait for it and serve the others meanwhile.
        var batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("set flood 0 0 1 noreply\r\nx\r\n", 4096)));
        var socket = flooder.Client;
        // A big send buffer and blocking sends from a thread of its own: the node's socket never runs dry.
        socket.SendBufferSize = 8 * 1024 * 1024;
        var writing = new Thread(() =>
        {
            try
            {
                while (!flood.IsCancellationRequested)
                    socket.Send(batch);
            }
            catch (SocketException)
            {
                // Closed at the end of the test.
            }
        }) { IsBackground = true };
        var reading = new Thread(() =>
        {
            var sink = new byte[1024 * 1024];
            try
            {
                while (!flood.IsCancellationRequested && socket.Receive(sink) > 0)
                {
                }
            }
            catch (SocketException)
            {
                // Closed at the end of the test.
            }
        }) { IsBackground = true };
        writing.Start();
        reading.Start();

        // Let the flood fill the socket, then ask on the other connection, a few times.
        await Task.Delay(500);
        var longest = TimeSpan.Zero;
        for (var i = 0; i < 20 && !flood.IsCancellationRequested; i++)
        {
            var asked = Stopwatch.StartNew();
            await otherStream.WriteAsync("version\r\n"u8.ToArray());
            Assert.StartsWith("VERSION", await ReadLineAsync(otherStream).WaitAsync(FloodFor + TimeSpan.FromSeconds(10)));
            longest = asked.Elapsed > longest ? asked.Elapsed : longest;
        }

        var floodStillRunning = !flood.IsCancellationRequested;
        await flood.CancelAsync();
        flooder.Client.Shutdown(SocketShutdown.Both);
        writing.Join(TimeSpan.FromSeconds(10));
        reading.Join(TimeSpan.FromSeconds(10));

        Assert.True(floodStillRunning, "the flood ended before the other client was answered");
        Assert.True(longest < TimeSpan.FromMilliseconds(500), $"the other client waited up to {longest.TotalMilliseconds:F0} ms");
    }

    /// <summary>
    /// The bound itself, made visible: a connection whose reads each take one byte of a socket already holding many
    /// would otherwise make thousands of receives in a row before the loop starts the next connection.
    /// </summary>
    [Fact]
    public async Task ConnectionWithBytesQueued_YieldsTheLoopAfterItsTurn_ToTheNextConnection()
    {
        const int Queued = 32 * 1024;
        var reads = new List<string>();
        var hold = new ManualResetEventSlim();
        var listener = new DirectSocketListener("127.0.0.1", 0, async (pipe, remote) =>
        {
            var name = (remote as IPEndPoint)?.Port.ToString(CultureInfo.InvariantCulture) ?? "?";
            // The first connection holds the loop's thread until the others have queued their bytes.
            if (!hold.IsSet)
            {
                hold.Wait(TimeSpan.FromSeconds(10));
                return;
            }

            while (true)
            {
                var result = await pipe.Input.ReadAsync();
                lock (reads)
                    reads.Add(name);
                // One byte taken per read, the rest left for the next: every receive fills the one free byte.
                var taken = result.Buffer.IsEmpty ? result.Buffer.End : result.Buffer.GetPosition(1);
                pipe.Input.AdvanceTo(taken, result.Buffer.End);
                if (result.IsCompleted)
                    return;
            }
        }, 64 * 1024, NullLogger<DirectSocketListener>.Instance, epollThreads: 1);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            using var holder = new TcpClient();
            await holder.ConnectAsync(listener.EndPoint);
            using var first = new TcpClient();
            await first.ConnectAsync(listener.EndPoint);
            await first.GetStream().WriteAsync(new byte[Queued]);
            using var second = new TcpClient();
            await second.ConnectAsync(listener.EndPoint);
            await second.GetStream().WriteAsync("x"u8.ToArray());
            var firstName = ((IPEndPoint)first.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
            var secondName = ((IPEndPoint)second.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
            await Task.Delay(200);
            hold.Set();

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline && !Snapshot(reads).Contains(secondName))
                await Task.Delay(10);
            var seen = Snapshot(reads);
            var firstReadsBefore = seen.TakeWhile(name => name != secondName).Count(name => name == firstName);

            Assert.Contains(secondName, seen);
            Assert.InRange(firstReadsBefore, 1, 4 * EpollReceivesPerTurn);
        }
        finally
        {
            hold.Set();
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }

    private static List<string> Snapshot(List<string> reads)
    {
        lock (reads)
            return [.. reads];
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            line.Append((char)one[0]);
            if (one[0] == '\n')
                break;
        }

        return line.ToString();
    }
}
