using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Sandbox.Commands;

namespace CacheOperator.Sandbox.Tests;

/// <summary>
/// `sandbox up`'s readiness wait against an API server on a loopback port that answers late or never: a slow answer
/// is waited for within the overall deadline, and no answer is "not ready yet", never an exception that fails the
/// command (a busy laptop's server can take seconds to answer its first requests).
/// </summary>
public sealed class UpReadinessTests
{
    private const string ReadyNode =
        """{"apiVersion":"v1","kind":"Node","metadata":{"name":"sandbox-node"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""";

    [Fact]
    public Task AnAnswerSlowerThanAFewSeconds_WithinTheDeadline_CountsAsReady() => WithListenerAsync(async (listener, url, stop) =>
    {
        var server = ServeOnceAsync(listener, TimeSpan.FromSeconds(3), ReadyNode, stop);

        Assert.True(await UpCommand.NodeReadyAsync(url, TimeSpan.FromSeconds(20)));
        await server;
    });

    [Fact]
    public Task NoAnswerBeforeTheDeadline_IsNotReadyYet_NotAnError() => WithListenerAsync(async (listener, url, stop) =>
    {
        // Accepts and reads the request, then says nothing until the test ends (which cancels it).
        _ = ServeOnceAsync(listener, Timeout.InfiniteTimeSpan, ReadyNode, stop);
        var took = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(await UpCommand.NodeReadyAsync(url, TimeSpan.FromSeconds(1)));
        Assert.InRange(took.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
    });

    [Fact]
    public Task NoTimeLeft_IsNotReady_WithoutAsking() => WithListenerAsync(async (listener, url, _) =>
    {
        Assert.False(await UpCommand.NodeReadyAsync(url, TimeSpan.Zero));
        Assert.False(listener.Pending());
    });

    /// <summary>A listener on an ephemeral loopback port for the test, stopped (and its server cancelled) however the test ends; 30 s at most.</summary>
    private static async Task WithListenerAsync(Func<TcpListener, Uri, CancellationToken, Task> test)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            await test(listener, new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
        }
    }

    /// <summary>Accepts one connection, reads one request's head, waits, answers it with the JSON body and closes.</summary>
    private static async Task ServeOnceAsync(TcpListener listener, TimeSpan delay, string json, CancellationToken ct)
    {
        using var client = await listener.AcceptTcpClientAsync(ct);
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
                return;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await Task.Delay(delay, ct);
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(response, ct);
        await stream.WriteAsync(body, ct);
    }
}
