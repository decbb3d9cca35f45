using System.Net;
using CacheOperator.Metrics;
using CacheOperator.Ring;
using CacheOperator.Router.Backends;
using CacheOperator.Router.Observability;
using CacheOperator.Router.Routing;
using CacheOperator.Router.Session;
using CacheOperator.Server.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CacheOperator.Router.Hosting;

/// <summary>
/// The router role on Kestrel: a memcached listener for clients and an admin HTTP listener (/healthz, /readyz,
/// /metrics, GET /ring/version, POST /ring with the cluster token).
/// </summary>
public sealed class RouterHost : IAsyncDisposable
{
    private const string PlainText = "text/plain; charset=utf-8";

    private readonly WebApplication _app;
    private readonly ListenOptions _memcachedListener;
    private readonly ListenOptions _adminListener;
    private readonly RingManager _rings;
    private readonly BackendRegistry _backends;
    private readonly RouterOptions _options;
    private volatile bool _ready;

    private RouterHost(WebApplication app, ListenOptions memcached, ListenOptions admin, RouterOptions options)
    {
        _app = app;
        _memcachedListener = memcached;
        _adminListener = admin;
        _options = options;
        _rings = app.Services.GetRequiredService<RingManager>();
        _backends = app.Services.GetRequiredService<BackendRegistry>();
    }

    /// <summary>The bound client endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint MemcachedEndPoint => _memcachedListener.IPEndPoint!;

    /// <summary>The bound admin endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint AdminEndPoint => _adminListener.IPEndPoint!;

    /// <summary>Version of the ring in use.</summary>
    public long RingVersion => _rings.Version;

    internal RingManager Rings => _rings;

    internal BackendRegistry Backends => _backends;

    public static RouterHost Create(RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = string.Equals(options.ListenAddress, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(options.ListenAddress, out var parsed)
                ? parsed
                : throw new ArgumentException($"listen address '{options.ListenAddress}' is not an IP address", nameof(options));
        if (!File.Exists(options.RingFile))
            throw new ArgumentException($"ring file '{options.RingFile}' does not exist", nameof(options));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.Verbosity switch
        {
            0 => LogLevel.Warning,
            1 => LogLevel.Information,
            _ => LogLevel.Debug,
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var registry = new MetricsRegistry();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<RouterMetrics>();
        builder.Services.AddSingleton(sp => new BackendRegistry(sp.GetRequiredService<RouterMetrics>(), options,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CacheOperator.Router.Backends")));
        builder.Services.AddSingleton(sp => new RingManager(sp.GetRequiredService<BackendRegistry>(), sp.GetRequiredService<RouterMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CacheOperator.Router.Ring")));
        builder.Services.AddSingleton<RequestRouter>();
        builder.Services.AddSingleton<RouterStatus>();
        builder.Services.AddSingleton(options.ClusterToken is { } token ? new ClusterToken(token) : ClusterToken.FromEnvironment());

        builder.WebHost.UseSockets(sockets =>
        {
            sockets.IOQueueCount = Math.Max(1, options.Threads);
            sockets.UnsafePreferInlineScheduling = true;
            // A set's line and data block stay unconsumed until all of it is here: room for a 1 MiB item.
            sockets.MaxReadBufferSize = 2L * 1024 * 1024;
        });

        ListenOptions? memcached = null;
        ListenOptions? admin = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.UseConnectionHandler<RouterConnectionHandler>();
                memcached = listen;
            });
            kestrel.Listen(address, options.AdminPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                admin = listen;
            });
        });

        var app = builder.Build();
        _ = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        var host = new RouterHost(app, memcached!, admin!, options);
        host.MapEndpoints();
        return host;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // The ring comes first: the listener must not accept a client it cannot route.
        _rings.WatchFile(_options.RingFile, _options.RingFilePollInterval);
        _app.Lifetime.ApplicationStopping.Register(() => _ready = false);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        _ready = true;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // The container owns the ring manager and the backends, and disposes them with the app.
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void MapEndpoints()
    {
        _app.MapGet("/healthz", static () => Results.Text("ok", PlainText));
        _app.MapGet("/readyz", () => _ready && _rings.Current is not null
            ? Results.Text("ready", PlainText)
            : Results.Text("not ready", PlainText, statusCode: StatusCodes.Status503ServiceUnavailable));
        _app.MapGet("/metrics", static async (HttpContext context, MetricsRegistry registry) =>
        {
            context.Response.ContentType = MetricsRegistry.TextContentType;
            await registry.WriteToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        _app.MapGet("/ring/version", () => Results.Text($"{{\"version\":{_rings.Version}}}", "application/json"));
        _app.MapGet("/ring/backends", () => Results.Text(BackendsJson(), "application/json"));
        _app.MapPost("/ring", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var result = _rings.Load(body.ToArray());
            var json = $"{{\"status\":\"{result.Status.ToString().ToLowerInvariant()}\",\"version\":{result.CurrentVersion}" +
                (result.Error is null ? "}" : $",\"error\":{System.Text.Json.JsonSerializer.Serialize(result.Error, RouterJsonContext.Default.String)}}}");
            var code = result.Status switch
            {
                RingLoadStatus.Applied or RingLoadStatus.Unchanged => StatusCodes.Status200OK,
                RingLoadStatus.Stale => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return Results.Text(json, "application/json", statusCode: code);
        }).RequireClusterToken();
    }

    private string BackendsJson()
    {
        var table = _rings.Current;
        if (table is null)
            return "[]";
        var parts = table.All.Distinct().Select(b =>
            $"{{\"address\":\"{b.Name}\",\"pool\":\"{b.Pool}\",\"up\":{(b.IsUp ? "true" : "false")},\"missedDeletes\":{b.MissedDeleteCount}}}");
        return "[" + string.Join(',', parts) + "]";
    }
}
