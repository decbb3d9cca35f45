using System.Net;
using CacheOperator.Server.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Hosting;

/// <summary>
/// What both roles of the cache-node image (node and router) host the same way: a slim web application that
/// logs to stderr (stdout carries only the ready line), and Kestrel with one memcached listener served by a
/// connection handler and one admin HTTP listener.
/// </summary>
public static class CacheRoleHosting
{
    public static WebApplicationBuilder CreateBuilder(int verbosity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(verbosity switch
        {
            0 => LogLevel.Warning,
            1 => LogLevel.Information,
            _ => LogLevel.Debug,
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>
    /// Declares the two listeners. Sessions never block, so they run on the socket thread that received the
    /// bytes; <paramref name="maxReadBufferSize"/> must hold a whole request (line and data block), because a
    /// session leaves it unconsumed until all of it is here and the transport stops reading at this bound.
    /// With a <paramref name="directListener"/> only the admin listener is Kestrel's: the memcached port is served
    /// by the role's own <see cref="DirectSocketListener"/>, which this registers as a singleton and a hosted service
    /// (the host then disposes it once per registration, which it tolerates).
    /// </summary>
    public static CacheListeners AddListeners<THandler>(WebApplicationBuilder builder, string listenAddress, int port,
        int adminPort, int threads, long maxReadBufferSize, Func<IServiceProvider, DirectSocketListener>? directListener = null)
        where THandler : ConnectionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        var memcachedOnKestrel = directListener is null;
        if (directListener is not null)
        {
            builder.Services.AddSingleton(directListener);
            builder.Services.AddHostedService(services => services.GetRequiredService<DirectSocketListener>());
        }

        var address = ParseAddress(listenAddress);
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.IOQueueCount = Math.Max(1, threads);
            sockets.UnsafePreferInlineScheduling = true;
            sockets.MaxReadBufferSize = maxReadBufferSize;
        });

        var listeners = new CacheListeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (memcachedOnKestrel)
            {
                kestrel.Listen(address, port, listen =>
                {
                    listen.UseConnectionHandler<THandler>();
                    listeners.Memcached = listen;
                });
            }
            kestrel.Listen(address, adminPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listeners.Admin = listen;
            });
        });
        return listeners;
    }

    public static IPAddress ParseAddress(string listen)
    {
        if (string.Equals(listen, "localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.Loopback;
        return IPAddress.TryParse(listen, out var address)
            ? address
            : throw new ArgumentException($"listen address '{listen}' is not an IP address", nameof(listen));
    }
}
