using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Router.Tests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>
/// The router executable's client port on one transport (the classes that derive from this one pick it), in front
/// of one of our nodes: replies to a pipeline keep the client's order, and a client that stops reading holds a
/// bounded part of its replies in the router while other clients go on being served.
/// </summary>
[Trait("Category", "Integration")]
public abstract class ClientTransportTests : IDisposable
{
    private const int ValueBytes = 256 * 1024;
    private const int StoredKeys = 8;

    /// <summary>800 gets of 256 KiB: a 200 MiB reply, far more than the growth allowed below.</summary>
    private const int StalledGets = 800;

    /// <summary>Room for socket buffers, pooled arrays and GC noise; far below the reply's size.</summary>
    private const long GrowthBoundKilobytes = 64 * 1024;

    private static readonly TimeSpan StallBeforeReading = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly BackendProcess _node;
    private readonly string _directory;
    private readonly RouterProcess _router;

    protected ClientTransportTests(string transport, ITestOutputHelper output)
    {
        _output = output;
        _node = BackendProcess.Node();
        _directory = Directory.CreateTempSubdirectory("router-transport-").FullName;
        try
        {
            var ringFile = Path.Combine(_directory, "ring.json");
            // A freshly started node compiles its request path on first use: a tight timeout would trip on that.
            File.WriteAllBytes(ringFile, RingFactory.Json(RingFactory.Ring(1, [RingFactory.Pool("main", [], [_node.Address])],
                heartbeat: new CacheOperator.Ring.HeartbeatSettings(500, 2000, 3))));
            _router = new RouterProcess(ringFile, "--transport", transport);
        }
        catch
        {
            _node.Dispose();
            Directory.Delete(_directory, recursive: true);
            throw;
        }
    }

    [Fact]
    public async Task PipelineInOneWrite_IsAnsweredInRequestOrder()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var socket = await ConnectAsync(deadline.Token);
        var request = new StringBuilder();
        var expected = new StringBuilder();
        // More requests than the router keeps in flight per connection, and multi-key gets, which wait for every
        // earlier reply: the batches a read is cut into must still answer in the order asked.
        for (var i = 0; i < 200; i++)
        {
            var value = new string((char)('a' + i % 26), 1 + i % 50);
            request.Append($"set k{i} {i} 0 {value.Length}\r\n{value}\r\nget k{i}\r\nget missing{i}\r\n");
            expected.Append($"STORED\r\nVALUE k{i} {i} {value.Length}\r\n{value}\r\nEND\r\nEND\r\n");
            if (i % 40 == 39)
            {
                request.Append($"get k{i} missing k{i - 1}\r\n");
                var previous = new string((char)('a' + (i - 1) % 26), 1 + (i - 1) % 50);
                expected.Append($"VALUE k{i} {i} {value.Length}\r\n{value}\r\nVALUE k{i - 1} {i - 1} {previous.Length}\r\n{previous}\r\nEND\r\n");
            }
        }

        request.Append("version\r\n");
        expected.Append("VERSION 1.6.18\r\n");
        await BigValues.SendAllAsync(socket, Encoding.ASCII.GetBytes(request.ToString()), deadline.Token);

        var received = new StringBuilder();
        var buffer = new byte[64 * 1024];
        while (received.Length < expected.Length)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.True(n > 0, $"the router closed the connection after {received.Length} of {expected.Length} reply bytes");
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        Assert.Equal(expected.ToString(), received.ToString());
    }

    [Fact]
    public async Task ClientThatStopsReading_HoldsBoundedMemory_WhileOthersAreServed_ThenGetsEveryByteInOrder()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var stalled = await ConnectAsync(deadline.Token);
        var keys = Enumerable.Range(0, StoredKeys).Select(i => $"big:{i}").ToArray();
        var blocks = new Dictionary<string, byte[]>();
        foreach (var key in keys)
        {
            var value = BigValues.For(key, ValueBytes);
            await BigValues.SendAllAsync(stalled, [.. Encoding.ASCII.GetBytes($"set {key} 7 0 {ValueBytes}\r\n"), .. value, .. "\r\n"u8], deadline.Token);
            var reply = new byte[64];
            var n = await stalled.ReceiveAsync(reply, SocketFlags.None, deadline.Token);
            Assert.Equal("STORED\r\n", Encoding.ASCII.GetString(reply, 0, n));
            blocks[key] = [.. Encoding.ASCII.GetBytes($"VALUE {key} 7 {ValueBytes}\r\n"), .. value, .. "\r\nEND\r\n"u8];
        }

        var asked = Enumerable.Range(0, StalledGets).Select(i => keys[i * 3 % keys.Length]).ToArray();
        var baseline = _router.ReadRssKilobytes() ?? throw new InvalidOperationException("no RSS for the router");
        var peak = baseline;
        var sending = BigValues.SendAllAsync(stalled, Encoding.ASCII.GetBytes(string.Concat(asked.Select(k => $"get {k}\r\n"))), deadline.Token);

        // The stalled client's replies wait in the router: another client must still be answered meanwhile.
        var stallEnd = DateTime.UtcNow + StallBeforeReading;
        using (var other = new TextClient(_router.Port))
        {
            while (DateTime.UtcNow < stallEnd)
            {
                Assert.Equal("VERSION 1.6.18\r\n", await other.CallAsync("version\r\n", "\r\n").WaitAsync(TimeSpan.FromSeconds(5), deadline.Token));
                Assert.Equal("STORED\r\n", await other.SetAsync("other", "still served").WaitAsync(TimeSpan.FromSeconds(5), deadline.Token));
                Assert.Equal("still served", await other.GetAsync("other").WaitAsync(TimeSpan.FromSeconds(5), deadline.Token));
                peak = Math.Max(peak, _router.ReadRssKilobytes() ?? 0);
                await Task.Delay(100, deadline.Token);
            }
        }

        var buffer = new byte[256 * 1024];
        var received = 0L;
        var index = 0;
        var offset = 0;
        while (index < asked.Length)
        {
            var n = await stalled.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.True(n > 0, $"the router closed the connection after {received} reply bytes ({index} of {asked.Length} gets)");
            for (var i = 0; i < n;)
            {
                var block = blocks[asked[index]];
                var take = Math.Min(n - i, block.Length - offset);
                Assert.True(buffer.AsSpan(i, take).SequenceEqual(block.AsSpan(offset, take)),
                    $"reply byte {received + i} is not get {index}'s ({asked[index]}) byte {offset}");
                i += take;
                offset += take;
                if (offset == block.Length)
                {
                    (index, offset) = (index + 1, 0);
                    Assert.True(index < asked.Length || i == n, "more reply bytes than were asked for");
                }
            }

            received += n;
            if (received % (16 * 1024 * 1024) < n)
                peak = Math.Max(peak, _router.ReadRssKilobytes() ?? 0);
        }

        await sending;
        peak = Math.Max(peak, _router.ReadRssKilobytes() ?? 0);
        _output.WriteLine($"router: {received} reply bytes for {asked.Length} gets; RSS {baseline} KiB before, peak {peak} KiB");
        Assert.True(peak - baseline <= GrowthBoundKilobytes,
            $"the router grew by {peak - baseline} KiB while a client left a {received / (1024 * 1024)} MiB reply unread (bound {GrowthBoundKilobytes} KiB)");

        // The connection still works after the backlog.
        await BigValues.SendAllAsync(stalled, "version\r\n"u8.ToArray(), deadline.Token);
        var last = new byte[64];
        var count = await stalled.ReceiveAsync(last, SocketFlags.None, deadline.Token);
        Assert.Equal("VERSION 1.6.18\r\n", Encoding.ASCII.GetString(last, 0, count));
    }

    public void Dispose()
    {
        _router.Dispose();
        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _router.Port), cancel);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
