using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Sandbox.ApiServer;
using CacheOperator.Sandbox.Controllers;
using CacheOperator.Sandbox.Kubelet;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox;

/// <summary>
/// The whole sandbox in one process: API server, controllers and scheduler, kubelet. The controllers and the
/// kubelet reach the API server over HTTP like any client. Stopping stops the pods first (gracefully), then the
/// controllers, then the API server (which writes its snapshot when persisting).
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly SandboxApiServer _api;
    private readonly KubernetesClient _client;
    private readonly SandboxControllers _controllers;
    private readonly SandboxKubelet _kubelet;
    private int _stopped;

    private SandboxServer(SandboxApiServer api, KubernetesClient client, SandboxControllers controllers, SandboxKubelet kubelet)
    {
        _api = api;
        _client = client;
        _controllers = controllers;
        _kubelet = kubelet;
    }

    public Uri BaseAddress => _api.BaseAddress;
    public SandboxKubelet Kubelet => _kubelet;
    public IKubernetesClient Client => _client;

    public static async Task<SandboxServer> StartAsync(SandboxServerOptions options, ILoggerFactory loggers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var log = loggers.CreateLogger("CacheOperator.Sandbox");
        var api = await SandboxApiServer.StartAsync(new SandboxApiServerOptions
        {
            Port = options.Port,
            SnapshotPath = options.SnapshotPath,
        }, ct).ConfigureAwait(false);
        log.LogInformation("API server listening on {Url}", api.BaseAddress);
        var client = new KubernetesClient(new KubernetesClientConfiguration { Server = api.BaseAddress, UserAgent = "sandbox" });
        SandboxControllers? controllers = null;
        SandboxKubelet? kubelet = null;
        try
        {
            var controllerLog = loggers.CreateLogger("CacheOperator.Sandbox.Controllers");
            controllers = await SandboxControllers.StartAsync(client, new SandboxControllersOptions
            {
                Log = line => controllerLog.LogInformation("{Line}", line),
            }, ct).ConfigureAwait(false);
            kubelet = new SandboxKubelet(client, new KubeletOptions
            {
                NodeName = options.NodeName,
                StateDirectory = options.KubeletDirectory,
                Images = options.Images,
                ApiServer = api.BaseAddress,
            }, loggers);
            await kubelet.StartAsync(ct).ConfigureAwait(false);
            return new SandboxServer(api, client, controllers, kubelet);
        }
        catch
        {
            if (kubelet is not null)
                await kubelet.DisposeAsync().ConfigureAwait(false);
            if (controllers is not null)
                await controllers.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
            await api.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _kubelet.DisposeAsync().ConfigureAwait(false);
        await _controllers.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        await _api.DisposeAsync().ConfigureAwait(false);
    }
}
