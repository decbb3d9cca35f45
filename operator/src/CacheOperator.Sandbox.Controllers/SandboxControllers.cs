using System.Collections.Concurrent;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Deployments;
using CacheOperator.Sandbox.Controllers.Endpoints;
using CacheOperator.Sandbox.Controllers.Runtime;
using CacheOperator.Sandbox.Controllers.Scheduling;
using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers;

/// <summary>
/// The sandbox's controller-manager and scheduler: the StatefulSet, Deployment and Endpoints controllers and the scheduler,
/// each a work queue fed by watches and drained by one worker. They reach the API server only through
/// <see cref="IKubernetesClient"/>, so they run against the sandbox over HTTP, or any API server.
/// <para>
/// Everything is level-based: an event only names the owner to look at (a StatefulSet, a Deployment, or, for a pod,
/// its controlling owner and the Services of its namespace); the reconcile reads the world fresh. Every owner is also re-evaluated each
/// <see cref="SandboxControllersOptions.ResyncInterval"/>.
/// </para>
/// </summary>
public sealed class SandboxControllers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly IKubernetesClient _client;
    private readonly SandboxControllersOptions _options;
    private readonly Action<string> _log;
    private readonly KeyQueue _statefulSets = new();
    private readonly KeyQueue _deployments = new();
    private readonly KeyQueue _unscheduled = new();
    private readonly KeyQueue _services = new();

    /// <summary>Service keys by namespace: a pod event re-evaluates every Service of its namespace.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _servicesByNamespace = new(StringComparer.Ordinal);

    /// <summary>Pods waiting for a node, retried together whenever a node changes.</summary>
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    private SandboxControllers(IKubernetesClient client, SandboxControllersOptions options)
    {
        _client = client;
        _options = options;
        _log = options.Log ?? (_ => { });
        EventRecorder? manager = options.RecordEvents ? new EventRecorder(client, "controller-manager", options.Time) : null;
        StatefulSets = new StatefulSetController(client, manager);
        Deployments = new DeploymentController(client, options.Time, manager);
        Scheduler = new PodScheduler(client, options.Time, options.UnschedulableRetry,
            options.RecordEvents ? new EventRecorder(client, "default-scheduler", options.Time) : null);
        Endpoints = new EndpointsController(client);
    }

    public StatefulSetController StatefulSets { get; }

    public DeploymentController Deployments { get; }

    public PodScheduler Scheduler { get; }

    public EndpointsController Endpoints { get; }

    /// <summary>Starts everything the options ask for; returns once every watch has made its first list.</summary>
    public static async Task<SandboxControllers> StartAsync(IKubernetesClient client, SandboxControllersOptions options,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var controllers = new SandboxControllers(client, options);
        try
        {
            await controllers.StartLoopsAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await controllers.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return controllers;
    }

    private async Task StartLoopsAsync(CancellationToken ct)
    {
        string? ns = string.IsNullOrEmpty(_options.Namespace) ? null : _options.Namespace;
        CancellationToken stop = _stop.Token;
        var synced = new List<Task>();

        void Watch<T>(string? watchNs, Action<WatchEventType, T> onObject) where T : KubernetesObject
        {
            var loop = new WatchLoop<T>(_client, watchNs, onObject, _log);
            _tasks.Add(Task.Run(() => loop.RunAsync(stop), stop));
            synced.Add(loop.Synced);
        }

        void Work(string name, KeyQueue queue, Func<string?, string, CancellationToken, Task<TimeSpan?>> reconcile)
        {
            var loop = new ReconcileLoop(name, queue, (key, token) =>
            {
                var (keyNs, keyName) = ObjectKey.Split(key);
                return reconcile(keyNs, keyName, token);
            }, _log);
            _tasks.Add(Task.Run(() => loop.RunAsync(stop), stop));
        }

        Watch<Pod>(ns, OnPod);
        if (_options.RunStatefulSets)
        {
            Watch<StatefulSet>(ns, (_, set) => _statefulSets.Add(ObjectKey.Of(set)));
            Work("statefulset", _statefulSets, StatefulSets.ReconcileAsync);
        }
        if (_options.RunDeployments)
        {
            Watch<Deployment>(ns, (_, deployment) => _deployments.Add(ObjectKey.Of(deployment)));
            Work("deployment", _deployments, Deployments.ReconcileAsync);
        }
        if (_options.RunScheduler)
        {
            Watch<Node>(null, (_, _) => RetryPending());
            Work("scheduler", _unscheduled, Scheduler.ReconcileAsync);
        }
        if (_options.RunEndpoints)
        {
            Watch<Service>(ns, OnService);
            Work("endpoints", _services, Endpoints.ReconcileAsync);
        }
        _tasks.Add(Task.Run(() => ResyncAsync(ns, stop), stop));

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stop);
        await Task.WhenAll(synced).WaitAsync(linked.Token).ConfigureAwait(false);
    }

    private void OnPod(WatchEventType type, Pod pod)
    {
        string key = ObjectKey.Of(pod);
        if (PodInspection.ControllerOf(pod) is { } owner && owner.ApiVersion == "apps/v1")
        {
            string ownerKey = ObjectKey.Of(pod.Metadata.Namespace, owner.Name);
            if (owner.Kind == "StatefulSet" && _options.RunStatefulSets)
                _statefulSets.Add(ownerKey);
            else if (owner.Kind == "Deployment" && _options.RunDeployments)
                _deployments.Add(ownerKey);
        }
        if (_options.RunEndpoints && _servicesByNamespace.TryGetValue(pod.Metadata.Namespace ?? "", out var services))
        {
            foreach (string service in services.Keys)
                _services.Add(service);
        }
        if (!_options.RunScheduler)
            return;
        if (type != WatchEventType.Deleted && PodScheduler.NeedsNode(pod))
        {
            _pending[key] = 0;
            _unscheduled.Add(key);
        }
        else
        {
            _pending.TryRemove(key, out _);
        }
    }

    private void OnService(WatchEventType type, Service service)
    {
        string key = ObjectKey.Of(service);
        var services = _servicesByNamespace.GetOrAdd(service.Metadata.Namespace ?? "", _ => new(StringComparer.Ordinal));
        if (type == WatchEventType.Deleted)
            services.TryRemove(key, out _);
        else
            services[key] = 0;
        _services.Add(key);
    }

    private void RetryPending()
    {
        foreach (string key in _pending.Keys)
            _unscheduled.Add(key);
    }

    private async Task ResyncAsync(string? ns, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.ResyncInterval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    if (_options.RunStatefulSets)
                    {
                        foreach (StatefulSet set in (await _client.ListAsync<StatefulSet>(ns, null, ct).ConfigureAwait(false)).Items)
                            _statefulSets.Add(ObjectKey.Of(set));
                    }
                    if (_options.RunDeployments)
                    {
                        foreach (Deployment deployment in (await _client.ListAsync<Deployment>(ns, null, ct).ConfigureAwait(false)).Items)
                            _deployments.Add(ObjectKey.Of(deployment));
                    }
                    RetryPending();
                    foreach (string service in _servicesByNamespace.Values.SelectMany(s => s.Keys))
                        _services.Add(service);
                }
                catch (KubernetesApiException ex)
                {
                    _log($"resync: {ex.Message}");
                }
                catch (HttpRequestException ex)
                {
                    _log($"resync: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
