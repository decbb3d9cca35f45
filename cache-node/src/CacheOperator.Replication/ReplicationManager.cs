using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using CacheOperator.Storage;

namespace CacheOperator.Replication;

/// <summary>
/// A node's streams, both ways: the sources it serves to other nodes and the pulls it runs from them, with
/// their progress for the admin API. A pull that breaks (either side restarted, network, overflow) starts
/// over from a fresh snapshot after a backoff, and says so in its progress: never silently.
/// </summary>
public sealed class ReplicationManager : IAsyncDisposable
{
    private readonly CacheStore _store;
    private readonly ReplicationOptions _options;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, StreamProgress> _sources = new();
    private readonly ConcurrentDictionary<string, Pull> _pulls = new();
    private long _nextId;

    /// <summary>Restarts and overflows of streams that have ended, so the totals never go down.</summary>
    private long _retiredRestarts;
    private long _retiredOverflows;

    public ReplicationManager(CacheStore store, ReplicationOptions options)
    {
        _store = store;
        _options = options;
        // Streams go straight to peers: never through an environment proxy, never with a total timeout.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>True while a replica pull runs: clients may read this node but not write to it.</summary>
    public bool IsReadOnlyReplica => _store.IsReadOnlyReplica;

    /// <summary>Times any stream of this node started over, since the node started.</summary>
    public long TotalRestarts => Interlocked.Read(ref _retiredRestarts) + Streams.Sum(s => s.Restarts);

    /// <summary>Times a source log of this node outgrew its budget, since the node started.</summary>
    public long TotalOverflows => Interlocked.Read(ref _retiredOverflows) + Streams.Sum(s => s.Overflows);

    /// <summary>Every stream, sources then pulls.</summary>
    public IReadOnlyList<StreamProgress> Streams => [.. _sources.Values, .. _pulls.Values.Select(p => p.Progress)];

    /// <summary>Serves one stream to a target until it disconnects (the caller's token) or the log overflows.</summary>
    public async Task ServeAsync(BucketSet buckets, string peer, PipeWriter output, CancellationToken cancellation)
    {
        string id = $"source-{Interlocked.Increment(ref _nextId)}";
        StreamProgress progress = new(id, "source", peer, buckets);
        _sources[id] = progress;
        try
        {
            await new StreamSource(_store, buckets, progress, _options.Source).RunAsync(output, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _sources.TryRemove(id, out _);
            Retire(progress);
        }
    }

    /// <summary>
    /// Starts pulling buckets from a source node's admin endpoint (e.g. http://10.0.0.5:11212), no faster than
    /// <paramref name="bytesPerSecond"/> when given (snapshot and log alike: a cap below the source's write rate
    /// means the stream never catches up, which its lag shows).
    /// </summary>
    public StreamProgress StartPull(Uri source, BucketSet buckets, PullMode mode, long? bytesPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (bytesPerSecond is <= 0)
            throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "a rate cap must be positive");
        string id = $"pull-{Interlocked.Increment(ref _nextId)}";
        Pull pull = new(id, mode, new StreamProgress(id, mode == PullMode.Replica ? "replica" : "target", source.ToString(), buckets));
        _pulls[id] = pull;
        if (mode == PullMode.Replica)
            _store.IsReadOnlyReplica = true;
        pull.Task = Task.Run(() => RunPullAsync(source, buckets, pull, bytesPerSecond));
        return pull.Progress;
    }

    /// <summary>Stops a pull; what it applied stays. False if there is no such pull.</summary>
    public async Task<bool> StopPullAsync(string id)
    {
        if (!_pulls.TryRemove(id, out Pull? pull))
            return false;
        await pull.StopAsync().ConfigureAwait(false);
        Retire(pull.Progress);
        if (pull.Mode == PullMode.Replica)
            _store.IsReadOnlyReplica = _pulls.Values.Any(p => p.Mode == PullMode.Replica);
        return true;
    }

    /// <summary>A replica becomes a primary: its replica pulls stop tailing and the node takes writes.</summary>
    public async Task<int> PromoteAsync()
    {
        string[] replicas = _pulls.Where(p => p.Value.Mode == PullMode.Replica).Select(p => p.Key).ToArray();
        foreach (string id in replicas)
            await StopPullAsync(id).ConfigureAwait(false);
        return replicas.Length;
    }

    /// <summary>Frees buckets that moved away (the old owner, after every router serves the new ring).</summary>
    public long Drop(BucketSet buckets) => _store.DropWhere(buckets.Selects);

    public async ValueTask DisposeAsync()
    {
        foreach (string id in _pulls.Keys.ToArray())
            await StopPullAsync(id).ConfigureAwait(false);
        _http.Dispose();
    }

    private void Retire(StreamProgress progress)
    {
        Interlocked.Add(ref _retiredRestarts, progress.Restarts);
        Interlocked.Add(ref _retiredOverflows, progress.Overflows);
    }

    private async Task RunPullAsync(Uri source, BucketSet buckets, Pull pull, long? bytesPerSecond)
    {
        CancellationToken stop = pull.Stop.Token;
        StreamTarget target = new(_store, buckets, pull.Progress);
        TimeSpan delay = _options.MinRetryDelay;
        Uri stream = new(source, $"replication/stream?buckets={Uri.EscapeDataString(buckets.ToString())}&bucketCount={buckets.BucketCount}");
        while (!stop.IsCancellationRequested)
        {
            string reason;
            try
            {
                pull.Progress.Phase = StreamPhase.Connecting;
                using HttpRequestMessage request = new(HttpMethod.Get, stream);
                if (_options.ClusterToken is { } token)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new HttpRequestException($"the source answered {(int)response.StatusCode} {response.ReasonPhrase}");
                await using Stream body = await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false);
                using IdleWatchdog watchdog = new(_options.IdleTimeout, stop);
                // Large reads: a snapshot is hundreds of megabytes, and each read also feeds the watchdog.
                Stream paced = bytesPerSecond is { } cap ? new RateLimitedStream(body, cap, watchdog.Feed) : body;
                PipeReader reader = PipeReader.Create(new WatchedStream(paced, watchdog),
                    new StreamPipeReaderOptions(bufferSize: 256 * 1024, minimumReadSize: 64 * 1024));
                StreamEnd end = await target.RunAsync(reader, watchdog.Token).ConfigureAwait(false);
                if (end == StreamEnd.Stopped && stop.IsCancellationRequested)
                    break;
                reason = end == StreamEnd.RestartRequested ? $"source asked to start over: {pull.Progress.LastError}"
                    : watchdog.Expired ? $"source silent for {_options.IdleTimeout.TotalSeconds:0}s" : "source closed the stream";
                if (pull.Progress.Phase == StreamPhase.Tailing)
                    delay = _options.MinRetryDelay;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                reason = ex.Message;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (pull.Mode == PullMode.Replica && pull.Progress.Phase is StreamPhase.CatchUp or StreamPhase.Tailing)
            {
                // A replica in sync is the shard's surviving copy if its source died; starting over would empty it.
                pull.Progress.LastError = reason;
                pull.Progress.Phase = StreamPhase.Held;
                return;
            }

            pull.Progress.CountRestart(reason);
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, delay.Ticks * 2));
        }

        pull.Progress.Phase = StreamPhase.Stopped;
    }

    private sealed class Pull(string id, PullMode mode, StreamProgress progress)
    {
        public string Id { get; } = id;

        public PullMode Mode { get; } = mode;

        public StreamProgress Progress { get; } = progress;

        public CancellationTokenSource Stop { get; } = new();

        public Task Task { get; set; } = Task.CompletedTask;

        public async Task StopAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            await Task.ConfigureAwait(false);
            Stop.Dispose();
        }
    }
}
