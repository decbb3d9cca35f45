using System.Net;
using CacheOperator.Ring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Tests;

/// <summary>
/// A router's admin endpoints on 127.0.0.1 (ephemeral port), as the real router answers them: GET /ring/version,
/// POST /ring with the bearer token (401 without it, 409 for an older ring).
/// </summary>
internal sealed class FakeRouterServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _version;

    private FakeRouterServer(WebApplication app, string token)
    {
        _app = app;
        app.MapGet("/ring/version", () => Results.Text($"{{\"version\":{Interlocked.Read(ref _version)}}}", "application/json"));
        app.MapPost("/ring", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {token}")
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var ring = RingDocument.Parse(body.ToArray());
            if (ring.Version < Interlocked.Read(ref _version))
                return Results.StatusCode(StatusCodes.Status409Conflict);
            Interlocked.Exchange(ref _version, ring.Version);
            Interlocked.Increment(ref _pushes);
            return Results.Text("applied");
        });
    }

    private int _pushes;

    public long Version => Interlocked.Read(ref _version);

    public int Pushes => Volatile.Read(ref _pushes);

    public int Port { get; private set; }

    public static async Task<FakeRouterServer> StartAsync(string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var server = new FakeRouterServer(builder.Build(), token);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
