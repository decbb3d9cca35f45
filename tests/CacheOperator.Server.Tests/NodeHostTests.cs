using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Server.Hosting;

namespace CacheOperator.Server.Tests;

/// <summary>
/// The real host on ephemeral ports, spoken to over TCP; run once per memcached transport by the classes that
/// derive from this one.
/// </summary>
public abstract class NodeHostTests : IAsyncLifetime
{
    private NodeHost? _host;

    /// <summary>What serves the memcached port in these tests.</summary>
    protected abstract NodeTransport Transport { get; }

    private NodeHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _host = NodeHost.Create(new NodeOptions
        {
            Port = 0, AdminPort = 0, MemoryLimitMegabytes = 8, MaxConnections = 2, Threads = 1, Transport = Transport,
        });
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
            _host = null;
        }
    }

    [Fact]
    public async Task Tcp_PipelineInOneWrite_IsAnsweredInRequestOrder()
    {
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        var request = new StringBuilder();
        var expected = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var value = new string((char)('a' + i % 26), 1 + i % 50);
            request.Append($"set k{i} {i} 0 {value.Length}\r\n{value}\r\nget k{i}\r\nget missing{i}\r\n");
            expected.Append($"STORED\r\nVALUE k{i} {i} {value.Length}\r\n{value}\r\nEND\r\nEND\r\n");
        }

        request.Append("version\r\n");
        expected.Append("VERSION 1.6.18\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        Assert.Equal(expected.ToString(), await ReadAsync(stream, expected.Length));
    }

    [Fact]
    public async Task Stop_WithIdleAndBusyClients_ClosesTheirConnectionsAndReturns()
    {
        using var idle = await ConnectAsync();
        using var busy = await ConnectAsync();
        await busy.GetStream().WriteAsync("version\r\n"u8.ToArray());
        Assert.Equal("VERSION 1.6.18\r\n", await ReadAsync(busy.GetStream(), 16));

        var stopping = Stopwatch.StartNew();
        await Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Both see the end of the stream well before the host's 5 s shutdown timeout would abort them.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"stop took {stopping.Elapsed}");
        Assert.Equal(0, await idle.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await busy.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        using var reconnect = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => reconnect.ConnectAsync(Host.MemcachedEndPoint).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stop_WithAClientThatNeverReadsItsReplies_AbortsItAndReturns()
    {
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        var value = new byte[500 * 1000];
        value.AsSpan().Fill((byte)'v');
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"set big 0 0 {value.Length}\r\n"));
        await stream.WriteAsync(value);
        await stream.WriteAsync("\r\n"u8.ToArray());
        Assert.Equal("STORED\r\n", await ReadAsync(stream, 8));
        // 100 MB of replies that the client will never read: the node's flush waits on a full socket.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("get big\r\n", 200))));
        await Task.Delay(300);

        var stopping = Stopwatch.StartNew();
        await Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // The host's shutdown timeout (5 s) ends the wait for it, then the connection is aborted: what the client
        // can still read is what the sockets held, far from the whole reply.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stop took {stopping.Elapsed}");
        var readAfterStop = await ReadToTheEndAsync(stream);
        Assert.True(readAfterStop >= 0, "the connection was still open 10 s after the stop");
        Assert.True(readAfterStop < 200L * value.Length / 2, $"{readAfterStop} bytes of the reply were still sent after the stop");
    }

    [Fact]
    public async Task Tcp_SetThenGetMaxSizeValue_RoundTrips()
    {
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        var value = new byte[1000 * 1000];
        value.AsSpan().Fill((byte)'z');

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"set big 0 0 {value.Length}\r\n"));
        await stream.WriteAsync(value);
        await stream.WriteAsync("\r\nget big\r\n"u8.ToArray());

        var expected = $"STORED\r\nVALUE big 0 {value.Length}\r\n{Encoding.ASCII.GetString(value)}\r\nEND\r\n";
        Assert.Equal(expected, await ReadAsync(stream, expected.Length));
    }

    [Fact]
    public async Task Tcp_OverConnectionLimit_IsRefusedWithMemcachedError()
    {
        using var first = await ConnectAsync();
        using var second = await ConnectAsync();
        await first.GetStream().WriteAsync("version\r\n"u8.ToArray());
        await second.GetStream().WriteAsync("version\r\n"u8.ToArray());
        Assert.Equal("VERSION 1.6.18\r\n", await ReadAsync(first.GetStream(), 16));
        Assert.Equal("VERSION 1.6.18\r\n", await ReadAsync(second.GetStream(), 16));

        using var third = await ConnectAsync();

        Assert.Equal("ERROR Too many open connections\r\n", await ReadAsync(third.GetStream(), 33));
        Assert.Equal(0, await third.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Admin_Healthz_AnswersOnItsOwnPort()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var response = await http.GetAsync(new Uri($"http://{Host.AdminEndPoint}/healthz"));

        Assert.True(response.IsSuccessStatusCode);
        Assert.NotEqual(Host.MemcachedEndPoint.Port, Host.AdminEndPoint.Port);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(Host.MemcachedEndPoint).WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    /// <summary>Reads and drops whatever the node sends until the connection ends: the byte count, or -1 after 10 s.</summary>
    private static async Task<long> ReadToTheEndAsync(NetworkStream stream)
    {
        var sink = new byte[1024 * 1024];
        var total = 0L;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(sink, timeout.Token)) > 0)
                total += read;
            return total;
        }
        catch (IOException)
        {
            return total; // Reset: ended too.
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    private static async Task<string> ReadAsync(NetworkStream stream, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0)
                break;
            read += n;
        }

        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
