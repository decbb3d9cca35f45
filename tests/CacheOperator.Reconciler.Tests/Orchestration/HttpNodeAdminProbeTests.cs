using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Reconciler.Orchestration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>The operator's /healthz probe against stub nodes on 127.0.0.1: one answering as the node does, one frozen.</summary>
public sealed class HttpNodeAdminProbeTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Probe_OfANodeAnsweringHealthz_IsHealthy_AndCarriesTheClusterToken()
    {
        int port = FreePort();
        using var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        string? path = null, auth = null;
        var serving = Task.Run(async () =>
        {
            var context = await server.GetContextAsync();
            (path, auth) = (context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"]);
            byte[] ok = Encoding.UTF8.GetBytes("ok");
            context.Response.ContentType = "text/plain";
            await context.Response.OutputStream.WriteAsync(ok);
            context.Response.Close();
        });

        using var http = new HttpClient();
        // What this proves is the request and the verdict, not speed (the timeout is the next test's): the stub's
        // first request can take over the production second on a loaded machine.
        var admin = new HttpNodeAdmin(http, port, NullLogger<HttpNodeAdmin>.Instance) { ProbeTimeout = TimeSpan.FromSeconds(10) };
        Assert.True(await admin.ProbeAsync("127.0.0.1", "tok", CancellationToken.None));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("/healthz", "Bearer tok"), (path, auth));
    }

    [Fact]
    public async Task Probe_OfAFrozenNode_FailsWithinTheProbeTimeout_AndOfAClosedPortAtOnce()
    {
        // Accepts connections (the kernel does) but never answers: what a SIGSTOPped node looks like.
        using var frozen = new TcpListener(IPAddress.Loopback, 0);
        frozen.Start();
        int port = ((IPEndPoint)frozen.LocalEndpoint).Port;
        using var http = new HttpClient();
        var admin = new HttpNodeAdmin(http, port, NullLogger<HttpNodeAdmin>.Instance) { ProbeTimeout = TimeSpan.FromMilliseconds(300) };

        var clock = Stopwatch.StartNew();
        Assert.False(await admin.ProbeAsync("127.0.0.1", "tok", CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

        frozen.Stop();
        var closed = new HttpNodeAdmin(http, FreePort(), NullLogger<HttpNodeAdmin>.Instance);
        Assert.False(await closed.ProbeAsync("127.0.0.1", "tok", CancellationToken.None));
    }
}
