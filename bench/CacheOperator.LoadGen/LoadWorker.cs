namespace CacheOperator.LoadGen;

/// <summary>
/// One thread driving several connections in lock step: a batch is written to every connection, then the
/// replies are read from each, so one thread keeps connections × depth requests in flight.
/// </summary>
internal sealed class LoadWorker
{
    private readonly List<LoadConnection> _connections = [];
    private readonly RunControl _control;
    private readonly ZipfSampler _sampler;
    private readonly double _getRatio;
    private readonly int _depth;
    private FastRandom _random;

    public LoadWorker(int index, LoadGenOptions options, RunControl control, ZipfSampler sampler)
    {
        ArgumentNullException.ThrowIfNull(options);
        _control = control;
        _sampler = sampler;
        _getRatio = options.GetRatio;
        _depth = options.Pipeline;
        _random = new FastRandom(options.Seed * 1_000_003UL + (ulong)index);
    }

    public WorkerCounters Counters { get; } = new();

    public LatencyHistogram Histogram { get; } = new();

    public long PrefillFailures { get; private set; }

    /// <summary>The exception that stopped this worker, if any.</summary>
    public Exception? Failure { get; private set; }

    public IReadOnlyList<LoadConnection> Connections => _connections;

    public void Add(LoadConnection connection) => _connections.Add(connection);

    public void Prefill()
    {
        try
        {
            bool any = true;
            while (any)
            {
                any = false;
                foreach (LoadConnection connection in _connections)
                    any |= connection.WritePrefillBatch();
                foreach (LoadConnection connection in _connections)
                    PrefillFailures += connection.ReadPrefillReplies();
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            Failure = e;
        }
    }

    public void Run()
    {
        try
        {
            while (true)
            {
                RunPhase phase = _control.Phase;
                if (phase == RunPhase.Stopped)
                    break;
                foreach (LoadConnection connection in _connections)
                    connection.WriteBatch(ref _random, _sampler, _getRatio, _depth);
                bool measuring = phase == RunPhase.Measuring;
                foreach (LoadConnection connection in _connections)
                    connection.ReadReplies(Counters, Histogram, measuring);
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            Failure = e;
        }
    }
}
