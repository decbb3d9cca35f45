using CacheOperator.Metrics;

namespace CacheOperator.Controllers;

/// <summary>
/// The controller's queue of keys, with client-go's guarantees: a key waiting is queued once however often it is
/// added; a key is handed to one worker at a time (added while processing, it is queued again when the worker
/// calls <see cref="Done"/>); delayed adds (<see cref="AddAfter"/>); per-key exponential backoff for failures
/// (<see cref="AddRateLimited"/>, reset by <see cref="Forget"/>). After <see cref="ShutDown"/> adds are ignored,
/// keys already queued are still handed out (the queue drains), then <see cref="TryGetAsync"/> answers false.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    /// <summary>Guards every collection below and the shutdown flag.</summary>
    private readonly Lock _lock = new();

    /// <summary>Keys ready to be handed out, in order.</summary>
    private readonly Queue<TKey> _queue = new();

    /// <summary>Keys that need processing: queued, or added again while being processed.</summary>
    private readonly HashSet<TKey> _dirty = [];

    /// <summary>Keys a worker holds (between <see cref="TryGetAsync"/> and <see cref="Done"/>).</summary>
    private readonly HashSet<TKey> _processing = [];

    /// <summary>Delayed keys by due time; an entry is stale when <see cref="_due"/> says otherwise.</summary>
    private readonly PriorityQueue<TKey, DateTimeOffset> _delayed = new();

    /// <summary>Each delayed key's earliest due time.</summary>
    private readonly Dictionary<TKey, DateTimeOffset> _due = [];

    /// <summary>Consecutive failures per key, for the backoff.</summary>
    private readonly Dictionary<TKey, int> _failures = [];

    private readonly WorkQueueOptions _options;
    private readonly IGauge? _depth;
    private readonly ICounter? _adds;
    private readonly ICounter? _retries;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Wakes the delay loop when a key is due earlier than what it waits for.</summary>
    private readonly SemaphoreSlim _delayedChanged = new(0);
    private readonly Task _delayLoop;

    /// <summary>Completed when a key is queued or the queue shuts down; waiters then look again.</summary>
    private TaskCompletionSource? _signal;
    private bool _shuttingDown;

    public WorkQueue(WorkQueueOptions? options = null, IMetricsFactory? metrics = null)
    {
        _options = options ?? new WorkQueueOptions();
        if (metrics is not null)
        {
            _depth = metrics.Gauge("cacheoperator_workqueue_depth", "Keys waiting in the work queue.", ("name", _options.Name));
            _adds = metrics.Counter("cacheoperator_workqueue_adds_total", "Keys added to the work queue.", ("name", _options.Name));
            _retries = metrics.Counter("cacheoperator_workqueue_retries_total", "Rate-limited requeues (failures).",
                ("name", _options.Name));
        }
        _delayLoop = Task.Run(DelayLoopAsync);
    }

    /// <summary>Keys ready to be handed out (not counting delayed ones or those being processed).</summary>
    public int Length
    {
        get { lock (_lock) return _queue.Count; }
    }

    /// <summary>Keys waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get { lock (_lock) return _due.Count; }
    }

    public bool IsShuttingDown
    {
        get { lock (_lock) return _shuttingDown; }
    }

    public void Add(TKey key)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(key))
                return;
            _adds?.Inc();
            if (_processing.Contains(key))
                return;
            Enqueue(key);
        }
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed (at once when not positive).
    /// A key already waiting keeps the earlier of its two due times.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        DateTimeOffset due = DateTimeOffset.UtcNow + delay;
        lock (_lock)
        {
            if (_shuttingDown || (_due.TryGetValue(key, out DateTimeOffset existing) && existing <= due))
                return;
            _due[key] = due;
            _delayed.Enqueue(key, due);
        }
        _delayedChanged.Release();
    }

    /// <summary>Adds <paramref name="key"/> after its backoff: base delay × 2^(failures so far), capped.</summary>
    public void AddRateLimited(TKey key)
    {
        _retries?.Inc();
        AddAfter(key, NextRetryDelay(key));
    }

    /// <summary>The delay <see cref="AddRateLimited"/> uses, counting one more failure.</summary>
    public TimeSpan NextRetryDelay(TKey key)
    {
        int failures;
        lock (_lock)
        {
            _failures.TryGetValue(key, out failures);
            _failures[key] = failures + 1;
        }
        double ticks = _options.BaseRetryDelay.Ticks * Math.Pow(2, Math.Min(failures, 62));
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Consecutive failures recorded for <paramref name="key"/>.</summary>
    public int NumRequeues(TKey key)
    {
        lock (_lock)
            return _failures.GetValueOrDefault(key);
    }

    /// <summary>The key succeeded: its backoff starts over.</summary>
    public void Forget(TKey key)
    {
        lock (_lock)
            _failures.Remove(key);
    }

    /// <summary>
    /// Waits for a key and marks it as being processed; the caller must call <see cref="Done"/> with it.
    /// False once the queue is shut down and drained.
    /// </summary>
    public async Task<(bool Ok, TKey Key)> TryGetAsync(CancellationToken ct = default)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_queue.TryDequeue(out TKey? key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    _depth?.Set(_queue.Count);
                    return (true, key);
                }
                if (_shuttingDown)
                    return (false, default!);
                _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _signal.Task;
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The worker finished <paramref name="key"/>; if it was added meanwhile it is queued again now.</summary>
    public void Done(TKey key)
    {
        lock (_lock)
        {
            if (!_processing.Remove(key))
                return;
            if (_dirty.Contains(key))
                Enqueue(key);
            else if (_processing.Count == 0)
                Wake();
        }
    }

    /// <summary>True while a worker holds some key.</summary>
    public bool IsProcessing
    {
        get { lock (_lock) return _processing.Count > 0; }
    }

    /// <summary>Stops accepting keys and drops delayed ones; workers drain what is queued, then get false.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
                return;
            _shuttingDown = true;
            _delayed.Clear();
            _due.Clear();
            Wake();
        }
        _stop.Cancel();
    }

    public void Dispose()
    {
        ShutDown();
        try
        {
            _delayLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop only ends by cancellation; nothing to report.
        }
        _stop.Dispose();
        _delayedChanged.Dispose();
    }

    private void Enqueue(TKey key)
    {
        _queue.Enqueue(key);
        _depth?.Set(_queue.Count);
        Wake();
    }

    private void Wake()
    {
        _signal?.TrySetResult();
        _signal = null;
    }

    /// <summary>Moves delayed keys to the queue when due; sleeps until the earliest one, or a change.</summary>
    private async Task DelayLoopAsync()
    {
        CancellationToken ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            var due = new List<TKey>();
            lock (_lock)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                while (_delayed.TryPeek(out TKey? key, out DateTimeOffset at))
                {
                    if (!_due.TryGetValue(key, out DateTimeOffset current) || current != at)
                    {
                        _delayed.Dequeue(); // superseded by an earlier due time
                        continue;
                    }
                    if (at > now)
                    {
                        wait = at - now;
                        break;
                    }
                    _delayed.Dequeue();
                    _due.Remove(key);
                    due.Add(key);
                }
            }
            foreach (TKey key in due)
                Add(key);
            try
            {
                await _delayedChanged.WaitAsync(wait, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
