using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// An in-memory Kubernetes API server for the subset kubectl, Helm and the operator use; plain HTTP, no
/// authentication. Start it, point a kubeconfig at it (<see cref="WriteKubeconfig"/>), stop it.
/// </summary>
public sealed class SandboxApiServer : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly WebApplication _app;
    private readonly ApiCore _core;
    private readonly GarbageCollector _collector;
    private readonly CancellationTokenSource _stopping;
    private readonly SandboxApiServerOptions _options;
    private int _stopped;

    private SandboxApiServer(WebApplication app, ApiCore core, GarbageCollector collector, CancellationTokenSource stopping, SandboxApiServerOptions options, Uri baseAddress)
    {
        _app = app;
        _core = core;
        _collector = collector;
        _stopping = stopping;
        _options = options;
        BaseAddress = baseAddress;
    }

    /// <summary>`http://127.0.0.1:&lt;port&gt;/`.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The current global resourceVersion.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_core.Store.Gate)
            {
                return _core.Store.ResourceVersion;
            }
        }
    }

    internal ApiCore Core => _core;

    internal GarbageCollector Collector => _collector;

    public static async Task<SandboxApiServer> StartAsync(SandboxApiServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new ObjectStore(options.HistoryLimit);
        var core = new ApiCore(store, new ResourceRegistry());
        if (options.SnapshotPath is { } path && File.Exists(path))
        {
            Snapshot.Load(core, path);
        }

        EnsureNamespaces(core);
        var stopping = new CancellationTokenSource();
        var handler = new HttpHandler(core, options, stopping.Token);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var collector = new GarbageCollector(core, options.GarbageCollectionInterval);
        return new SandboxApiServer(app, core, collector, stopping, options, new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"));
    }

    /// <summary>Writes a kubeconfig with one context, `sandbox`, pointing here over plain HTTP with no user credentials.</summary>
    public void WriteKubeconfig(string path, string? @namespace = "default")
    {
        var server = BaseAddress.GetLeftPart(UriPartial.Authority);
        var namespaceLine = @namespace is null ? "" : $"\n    namespace: {@namespace}";
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {server}
            users:
            - name: sandbox
              user: {"{}"}
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: sandbox{namespaceLine}
            current-context: sandbox
            preferences: {"{}"}

            """;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, text);
    }

    /// <summary>Test hook: forgets the watch history, so any earlier resourceVersion now gets 410 Expired.</summary>
    public void CompactHistory()
    {
        lock (_core.Store.Gate)
        {
            _core.Store.CompactHistory();
        }
    }

    /// <summary>Stops serving (open watches end), stops the collector and writes the snapshot if configured.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _collector.DisposeAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
        if (_options.SnapshotPath is { } path)
        {
            Snapshot.Save(_core, path);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static void EnsureNamespaces(ApiCore core)
    {
        var namespaces = core.Registry.Get("", "namespaces");
        foreach (var name in InitialNamespaces)
        {
            lock (core.Store.Gate)
            {
                if (core.Store.Peek(namespaces.StoreKey, null, name) is not null)
                {
                    continue;
                }
            }

            core.Create(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, WriteOptions.Default);
        }
    }
}
