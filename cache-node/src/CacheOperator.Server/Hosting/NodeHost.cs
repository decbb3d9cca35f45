using System.Net;
using CacheOperator.Server.Admin;
using CacheOperator.Server.Replication;
using CacheOperator.Server.Session;
using CacheOperator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CacheOperator.Server.Hosting;

/// <summary>
/// The node role hosted on Kestrel: one listener speaking memcached through <see cref="MemcachedConnectionHandler"/>,
/// one HTTP listener for the admin endpoints, and the store and observability services behind them.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>Room in the transport's read buffer beyond one maximum-size item and its command line.</summary>
    private const int ReadBufferHeadroom = 64 * 1024;

    private readonly WebApplication _app;
    private readonly ListenOptions _memcachedListener;
    private readonly ListenOptions _adminListener;

    private NodeHost(WebApplication app, ListenOptions memcachedListener, ListenOptions adminListener)
    {
        _app = app;
        _memcachedListener = memcachedListener;
        _adminListener = adminListener;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The bound memcached endpoint (the real port when 0 was asked for); valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint MemcachedEndPoint => _memcachedListener.IPEndPoint!;

    /// <summary>The bound admin HTTP endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint AdminEndPoint => _adminListener.IPEndPoint!;

    public static NodeHost Create(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = ParseAddress(options.ListenAddress);
        var storeOptions = new CacheStoreOptions
        {
            MemoryLimitBytes = options.MemoryLimitMegabytes * 1024 * 1024,
            MaxItemSize = options.MaxItemSize,
        };
        storeOptions.Validate();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // stdout carries only the ready line; logs go to stderr.
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

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new CacheStore(storeOptions));
        if (options.ClusterTokenFile is { } tokenFile)
            builder.Services.AddSingleton(new ClusterToken(File.ReadAllText(tokenFile)));
        builder.Services.AddNodeObservability();
        builder.Services.AddNodeReplication(options.InsecureDevelopmentMode);

        builder.WebHost.UseSockets(sockets =>
        {
            sockets.IOQueueCount = Math.Max(1, options.Threads);
            // Sessions do no blocking work, so they can run on the I/O thread that received the bytes.
            sockets.UnsafePreferInlineScheduling = true;
            // A session keeps a set's line and data block unconsumed until all of it is here; the transport
            // stops reading at this bound, so a maximum-size item must fit below it or the connection stalls.
            sockets.MaxReadBufferSize = options.MaxItemSize + 2L * options.MaxLineLength + ReadBufferHeadroom;
        });

        ListenOptions? memcached = null;
        ListenOptions? admin = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.UseConnectionHandler<MemcachedConnectionHandler>();
                memcached = listen;
            });
            kestrel.Listen(address, options.AdminPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                admin = listen;
            });
        });

        var app = builder.Build();
        app.MapAdminEndpoints();
        app.MapReplicationEndpoints();
        // Kestrel's listeners are declared when its options are first read; read them now to capture the listeners.
        _ = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        return new NodeHost(app, memcached!, admin!);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var readiness = _app.Services.GetRequiredService<NodeReadiness>();
        _app.Lifetime.ApplicationStopping.Register(readiness.MarkStopping);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        readiness.MarkReady();
    }

    /// <summary>Returns when the host has been asked to stop (SIGTERM, Ctrl-C) and has stopped.</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static IPAddress ParseAddress(string listen)
    {
        if (string.Equals(listen, "localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.Loopback;
        return IPAddress.TryParse(listen, out var address)
            ? address
            : throw new ArgumentException($"listen address '{listen}' is not an IP address", nameof(listen));
    }
}
