using System.Net;
using CacheOperator.Server.Admin;
using CacheOperator.Server.Replication;
using CacheOperator.Server.Session;
using CacheOperator.Server.Transport;
using CacheOperator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Hosting;

/// <summary>
/// The node role hosted on Kestrel: one listener speaking memcached through <see cref="MemcachedConnectionHandler"/>
/// (Kestrel's, or the node's own <see cref="DirectSocketListener"/> with <see cref="NodeTransport.Direct"/>),
/// one HTTP listener for the admin endpoints, and the store and observability services behind them.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>Room in the transport's read buffer beyond one maximum-size item and its command line.</summary>
    private const int ReadBufferHeadroom = 64 * 1024;

    private readonly WebApplication _app;
    private readonly CacheListeners _listeners;

    private NodeHost(WebApplication app, CacheListeners listeners)
    {
        _app = app;
        _listeners = listeners;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The bound memcached endpoint (the real port when 0 was asked for); valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint MemcachedEndPoint => _listeners.MemcachedEndPoint;

    /// <summary>The bound admin HTTP endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint AdminEndPoint => _listeners.AdminEndPoint;

    public static NodeHost Create(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storeOptions = new CacheStoreOptions
        {
            MemoryLimitBytes = options.MemoryLimitMegabytes * 1024 * 1024,
            MaxItemSize = options.MaxItemSize,
        };
        storeOptions.Validate();

        var builder = CacheRoleHosting.CreateBuilder(options.Verbosity);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new CacheStore(storeOptions));
        if (options.ClusterTokenFile is { } tokenFile)
            builder.Services.AddSingleton(new ClusterToken(File.ReadAllText(tokenFile)));
        builder.Services.AddNodeObservability();
        builder.Services.AddNodeReplication(options.InsecureDevelopmentMode);

        // Room for a maximum-size item with its command line, or a set of that size would stall.
        var maxReadBufferSize = options.MaxItemSize + 2L * options.MaxLineLength + ReadBufferHeadroom;
        var listeners = CacheRoleHosting.AddListeners<MemcachedConnectionHandler>(builder, options.ListenAddress, options.Port,
            options.AdminPort, options.Threads, maxReadBufferSize, options.Transport == NodeTransport.Kestrel ? null : services =>
            {
                var handler = ActivatorUtilities.CreateInstance<MemcachedConnectionHandler>(services);
                return new DirectSocketListener(options.ListenAddress, options.Port,
                    (transport, remote) => handler.ServeAsync(transport, remote, CancellationToken.None), maxReadBufferSize,
                    services.GetRequiredService<ILogger<DirectSocketListener>>(),
                    epollThreads: options.Transport == NodeTransport.Epoll ? options.Threads : 0);
            });

        var app = builder.Build();
        app.MapAdminEndpoints();
        app.MapReplicationEndpoints();
        return new NodeHost(app, listeners.DeclaredBy(app));
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

}
