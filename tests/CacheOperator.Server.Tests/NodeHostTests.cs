using System.Net.Sockets;
using System.Text;
using CacheOperator.Server.Hosting;

namespace CacheOperator.Server.Tests;

/// <summary>The real host: Kestrel on ephemeral ports, spoken to over TCP.</summary>
public sealed class NodeHostTests : IAsyncLifetime
{
    private NodeHost? _host;

    private NodeHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _host = NodeHost.Create(new NodeOptions { Port = 0, AdminPort = 0, MemoryLimitMegabytes = 8, MaxConnections = 2, Threads = 1 });
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
