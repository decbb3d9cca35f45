using System.Diagnostics;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Controllers;

/// <summary>
/// One controller: an informer for the primary kind <typeparamref name="T"/> (whose events enqueue the object's
/// key), informers for owned kinds (whose events enqueue their controlling owner's key), a work queue, and N workers
/// calling the reconciler. Informers are declared with <see cref="Owns{TOwned}"/> and <see cref="Watches{TOther}"/>
/// before <see cref="RunAsync"/>; their caches are what the reconciler reads.
/// </summary>
public sealed class Controller<T> : IController where T : KubernetesObject
{
    private static readonly double[] DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly IKubernetesClient _client;
    private readonly IReconciler<T> _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<Func<CancellationToken, Task>> _runs = [];
    private readonly List<Func<bool>> _synced = [];
    private readonly Dictionary<Type, object> _informers = [];
    private readonly ICounter? _errors;
    private readonly IHistogram? _duration;

    /// <summary>cacheoperator_reconcile_total by result, created up front so every series starts at 0.</summary>
    private readonly Dictionary<string, ICounter> _results = new(StringComparer.Ordinal);
    private readonly KubernetesResourceAttribute _resource;
    private int _started;

    public Controller(string name, IKubernetesClient client, IReconciler<T> reconciler, ControllerOptions? options = null,
        IMetricsFactory? metrics = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reconciler);
        Name = name;
        _client = client;
        _reconciler = reconciler;
        _options = options ?? new ControllerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Workers);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("CacheOperator.Controllers.Controller");
        _resource = KubernetesResource.Of<T>();
        Queue = new WorkQueue<ObjectKey>(new WorkQueueOptions
        {
            Name = name,
            BaseRetryDelay = _options.BaseRetryDelay,
            MaxRetryDelay = _options.MaxRetryDelay,
        }, metrics);
        _errors = metrics?.Counter("cacheoperator_reconcile_errors_total", "Reconciles that threw.", ("controller", name));
        _duration = metrics?.Histogram("cacheoperator_reconcile_duration_seconds", "Time spent in a reconcile.",
            DurationBuckets, ("controller", name));
        if (metrics is not null)
        {
            foreach (string result in (string[])["success", "error", "requeue", "requeue_after"])
                _results[result] = metrics.Counter("cacheoperator_reconcile_total", "Reconciles by outcome.",
                    ("controller", name), ("result", result));
        }

        Informer = AddInformer<T>(null, new InformerHandler<T>(
            OnAdd: o => Queue.Add(ObjectKey.Of(o)),
            OnUpdate: (_, o) => Queue.Add(ObjectKey.Of(o)),
            OnDelete: o => Queue.Add(ObjectKey.Of(o))));
    }

    public string Name { get; }

    /// <summary>The primary kind's informer; its cache is the reconciler's view of <typeparamref name="T"/>.</summary>
    public Informer<T> Informer { get; }

    public WorkQueue<ObjectKey> Queue { get; }

    public bool HasSynced => _synced.All(s => s());

    /// <summary>
    /// Watches <typeparamref name="TOwned"/>: an event for an object whose controlling ownerReference (controller:
    /// true) names a <typeparamref name="T"/> enqueues that owner. Returns the informer, whose cache the
    /// reconciler may read.
    /// </summary>
    public Informer<TOwned> Owns<TOwned>(string? labelSelector = null) where TOwned : KubernetesObject
    {
        void Enqueue(TOwned owned)
        {
            if (ControllerOf(owned) is ObjectKey owner)
                Queue.Add(owner);
        }
        return AddInformer<TOwned>(labelSelector, new InformerHandler<TOwned>(
            OnAdd: Enqueue,
            OnUpdate: (old, current) =>
            {
                Enqueue(current);
                // An owner reference that changed or went: the previous owner must hear of it too.
                if (ControllerOf(old) is ObjectKey previous && previous != ControllerOf(current))
                    Queue.Add(previous);
            },
            OnDelete: Enqueue));
    }

    /// <summary>Watches <typeparamref name="TOther"/>; each event enqueues the keys <paramref name="map"/> returns.</summary>
    public Informer<TOther> Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map, string? labelSelector = null)
        where TOther : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(map);
        void Enqueue(TOther other)
        {
            foreach (ObjectKey key in map(other))
                Queue.Add(key);
        }
        return AddInformer<TOther>(labelSelector, new InformerHandler<TOther>(Enqueue, (_, o) => Enqueue(o), Enqueue));
    }

    /// <summary>The cache of a kind this controller watches.</summary>
    public InformerCache<TKind> CacheOf<TKind>() where TKind : KubernetesObject
        => _informers.TryGetValue(typeof(TKind), out object? informer)
            ? ((Informer<TKind>)informer).Cache
            : throw new InvalidOperationException($"controller {Name} does not watch {typeof(TKind).Name}");

    /// <summary>The key of <paramref name="obj"/>'s controlling owner, when that owner is a <typeparamref name="T"/>.</summary>
    public ObjectKey? ControllerOf(KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        foreach (OwnerReference owner in obj.Metadata.OwnerReferences ?? [])
        {
            if (owner.Controller == true && owner.Kind == _resource.Kind && GroupOf(owner.ApiVersion) == _resource.Group)
                return new ObjectKey(_resource.Namespaced ? obj.Metadata.Namespace : null, owner.Name);
        }
        return null;
    }

    private static string GroupOf(string apiVersion)
    {
        int slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    private Informer<TKind> AddInformer<TKind>(string? labelSelector, InformerHandler<TKind> handler) where TKind : KubernetesObject
    {
        if (Volatile.Read(ref _started) != 0)
            throw new InvalidOperationException("informers must be added before the controller runs");
        if (_informers.ContainsKey(typeof(TKind)))
            throw new InvalidOperationException($"controller {Name} already watches {typeof(TKind).Name}");
        var informer = new Informer<TKind>(_client, _options.Informer with
        {
            Namespace = _options.Namespace,
            LabelSelector = labelSelector,
        }, _loggerFactory.CreateLogger("CacheOperator.Controllers.Informer"));
        informer.AddHandler(handler);
        _informers[typeof(TKind)] = informer;
        _runs.Add(informer.RunAsync);
        _synced.Add(() => informer.HasSynced);
        return informer;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("a controller runs once");

        using var informersCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task[] informers = _runs.Select(run => Task.Run(() => run(informersCts.Token), CancellationToken.None)).ToArray();
        using var workersCts = new CancellationTokenSource();
        var workers = new List<Task>();
        try
        {
            while (!HasSynced)
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct).ConfigureAwait(false);
            ControllersLog.ControllerStarted(_logger, Name, _options.Workers);
            for (int i = 0; i < _options.Workers; i++)
                workers.Add(Task.Run(() => WorkerAsync(workersCts.Token), CancellationToken.None));
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            // Stop the sources first, then let the workers drain what is queued; cancel them at the deadline.
            await informersCts.CancelAsync().ConfigureAwait(false);
            Queue.ShutDown();
            Task all = Task.WhenAll(workers);
            if (await Task.WhenAny(all, Task.Delay(_options.ShutdownTimeout, CancellationToken.None)).ConfigureAwait(false) != all)
            {
                ControllersLog.ShutdownTimedOut(_logger, Name, _options.ShutdownTimeout);
                await workersCts.CancelAsync().ConfigureAwait(false);
            }
            await Task.WhenAll(workers.Concat(informers)).ConfigureAwait(false);
            Queue.Dispose();
            ControllersLog.ControllerStopped(_logger, Name);
        }
    }

    private async Task WorkerAsync(CancellationToken ct)
    {
        while (true)
        {
            var (ok, key) = await Queue.TryGetAsync(ct).ConfigureAwait(false);
            if (!ok)
                return;
            await ProcessAsync(key, ct).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            ReconcileResult result = await _reconciler.ReconcileAsync(key, ct).ConfigureAwait(false);
            if (result.RequeueAfter is TimeSpan after && after > TimeSpan.Zero)
            {
                Queue.Forget(key);
                Queue.AddAfter(key, after);
                outcome = "requeue_after";
            }
            else if (result.Requeue)
            {
                Queue.AddRateLimited(key);
                outcome = "requeue";
            }
            else
            {
                Queue.Forget(key);
                outcome = "success";
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = "error";
        }
#pragma warning disable CA1031 // a failing reconcile is retried with backoff; the worker must go on
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = "error";
            _errors?.Inc();
            TimeSpan delay = Queue.NextRetryDelay(key);
            ControllersLog.ReconcileFailed(_logger, e, Name, key.ToString(), delay);
            Queue.AddAfter(key, delay);
        }
        finally
        {
            Queue.Done(key);
        }
        _duration?.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        _results.GetValueOrDefault(outcome)?.Inc();
    }
}
