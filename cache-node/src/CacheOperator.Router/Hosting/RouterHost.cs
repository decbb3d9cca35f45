using System.Net;
using CacheOperator.Server.Hosting;
using CacheOperator.Metrics;
using CacheOperator.Ring;
using CacheOperator.Router.Backends;
using CacheOperator.Router.Observability;
using CacheOperator.Router.Routing;
using CacheOperator.Router.Session;
using CacheOperator.Server;
using CacheOperator.Server.Admin;
using CacheOperator.Server.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Router.Hosting;

/// <summary>
/// The router role: a memcached listener for clients (the epoll transport's loops by default on Linux, whose
/// threads also run each loop's own backend connections; or <see cref="NodeTransport.Direct"/> or Kestrel's) and an
/// admin HTTP listener on Kestrel (/healthz, /readyz, /metrics,
/// GET /ring/version, POST /ring with the cluster token).
/// </summary>
public sealed class RouterHost : IAsyncDisposable
{
    private const string PlainText = "text/plain; charset=utf-8";
    private const string PoolSpinLimit = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    /// <summary>A set's line and data block stay unconsumed until all of it is here: room for a 1 MiB item.</summary>
    private const long MaxReadBufferSize = 2L * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly CacheListeners _listeners;

    private readonly RingManager _rings;
    private readonly BackendRegistry _backends;
    private readonly RouterOptions _options;
    private volatile bool _ready;

    private RouterHost(WebApplication app, CacheListeners listeners, RouterOptions options)
    {
        _app = app;
        _listeners = listeners;
        _options = options;
        _rings = app.Services.GetRequiredService<RingManager>();
        _backends = app.Services.GetRequiredService<BackendRegistry>();
    }

    /// <summary>The bound client endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint MemcachedEndPoint => _listeners.MemcachedEndPoint;

    /// <summary>The bound admin endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint AdminEndPoint => _listeners.AdminEndPoint;

    /// <summary>Version of the ring in use.</summary>
    public long RingVersion => _rings.Version;

    internal RingManager Rings => _rings;

    internal BackendRegistry Backends => _backends;

    public static RouterHost Create(RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.RingFile))
            throw new ArgumentException($"ring file '{options.RingFile}' does not exist", nameof(options));

        // Nothing on the router's path blocks (replies resume their sessions inline, sends never wait), so socket
        // completions may run on the epoll thread: a request then crosses no thread at all. And -t is then the
        // router's real I/O thread count, as on the node: the epoll threads run every session and every backend
        // connection. Fewer threads than cores put a client and its backend connection on the same thread, and one
        // wake-up finds more of them ready: at -t 1 on two cores, c=4 d=1 made 0.8 context switches per request
        // instead of 1.4 (docs/performance.md). Read by the runtime when the first socket is made, so this only
        // takes effect when the router is the process's first user.
        SocketEngineSettings.Apply(options.Threads);

        // Nothing on the request path runs on the thread pool (see above); only timers and failures do. A pool worker
        // that has run an item spins (sched_yield) looking for more before it sleeps, on the cores the socket threads
        // need: with the default limit, the heartbeat and ring-poll timers' spinning cost 0.5-0.8 µs per request of a
        // one-core router at c=4 d=1 (bench/results/router-cpu-profile.md). Read when the pool starts its first
        // worker, so, as above, only when nothing used the pool before.
        if (Environment.GetEnvironmentVariable(PoolSpinLimit) is null)
            Environment.SetEnvironmentVariable(PoolSpinLimit, "0");

        var builder = CacheRoleHosting.CreateBuilder(options.Verbosity);

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

        var listeners = CacheRoleHosting.AddListeners<RouterConnectionHandler>(builder, options.ListenAddress, options.Port,
            options.AdminPort, options.Threads, MaxReadBufferSize, options.Transport == NodeTransport.Kestrel ? null : services =>
            {
                var handler = ActivatorUtilities.CreateInstance<RouterConnectionHandler>(services);
                return new DirectSocketListener(options.ListenAddress, options.Port,
                    (transport, _) => handler.ServeAsync(transport, CancellationToken.None), MaxReadBufferSize,
                    services.GetRequiredService<ILogger<DirectSocketListener>>(),
                    epollThreads: options.Transport == NodeTransport.Epoll ? options.Threads : 0, poll: options.Poll);
            });

        var app = builder.Build();
        var host = new RouterHost(app, listeners.DeclaredBy(app), options);
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
