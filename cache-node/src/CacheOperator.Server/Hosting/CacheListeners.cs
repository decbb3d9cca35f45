using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CacheOperator.Server.Hosting;

/// <summary>The two listeners of a cache role, known once the application is built.</summary>
public sealed class CacheListeners
{
    internal ListenOptions? Memcached { get; set; }

    internal ListenOptions? Admin { get; set; }

    /// <summary>The memcached port when the role serves it without Kestrel.</summary>
    private Transport.DirectSocketListener? Direct { get; set; }

    /// <summary>The bound memcached endpoint (the real port when 0 was asked for), once started.</summary>
    public IPEndPoint MemcachedEndPoint => Direct?.EndPoint ?? Memcached?.IPEndPoint ?? throw new InvalidOperationException("listeners are not declared yet");

    /// <summary>The bound admin HTTP endpoint, once started.</summary>
    public IPEndPoint AdminEndPoint => Admin?.IPEndPoint ?? throw new InvalidOperationException("listeners are not declared yet");

    /// <summary>
    /// Kestrel declares its listeners when its options are first read: read them now; and find the role's own
    /// memcached listener, when it has one.
    /// </summary>
    public CacheListeners DeclaredBy(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Direct = app.Services.GetService<Transport.DirectSocketListener>();
        return this;
    }
}
