using System.IO.Pipelines;
using System.Text;
using CacheOperator.Metrics;
using CacheOperator.Server.Observability;
using CacheOperator.Server.Session;
using CacheOperator.Storage;

namespace CacheOperator.Server.Tests;

/// <summary>
/// A session over in-memory pipes, no socket. The pipes run continuations inline, so by the time a write's
/// flush returns the session has processed what it could of it: a split request really arrives split.
/// </summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    private static readonly PipeOptions InlinePipe = new(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly Pipe _toServer = new(InlinePipe);
    private readonly Pipe _toClient = new(InlinePipe);
    private readonly CacheStore _store;
    private readonly Task _session;

    public SessionHarness(NodeOptions? options = null)
    {
        Options = options ?? new NodeOptions();
        Clock = new CacheClock();
        _store = new CacheStore(new CacheStoreOptions
        {
            MemoryLimitBytes = 8L * 1024 * 1024,
            MaxItemSize = Options.MaxItemSize,
            EnableCrawler = false,
            Clock = Clock,
        });
        var metrics = new NodeMetrics(Registry, _store, Options);
        var session = new MemcachedSession(_store, Options, metrics, new StatsReport(metrics, _store, Options));
        _session = Task.Run(() => session.RunAsync(new DuplexPipe(_toServer.Reader, _toClient.Writer)));
    }

    public NodeOptions Options { get; }

    /// <summary>The session's metrics registry, for tests that scrape what it recorded.</summary>
    public MetricsRegistry Registry { get; } = new();

    public CacheClock Clock { get; }

    /// <summary>The session's store, for tests that change node state (such as replica mode).</summary>
    public CacheStore Store => _store;

    /// <summary>The session's task: completes when it closes the connection.</summary>
    public Task Completion => _session;

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _toServer.Writer.WriteAsync(bytes);
    }

    /// <summary>Writes without awaiting: when the session is waiting for input it runs inline, on this thread.</summary>
    public bool TrySendSynchronously(ReadOnlyMemory<byte> bytes)
        => _toServer.Writer.WriteAsync(bytes).IsCompletedSuccessfully;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends the request followed by "mn", and returns everything answered before the MN.</summary>
    public async Task<string> RoundTripAsync(string request)
    {
        await SendAsync(request + "mn\r\n");
        var reply = await ReadUntilAsync("MN\r\n");
        return reply[..^4];
    }

    /// <summary>Reads replies until they end with <paramref name="terminator"/> (bounded by time).</summary>
    public async Task<string> ReadUntilAsync(string terminator)
    {
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _toClient.Reader.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
                received.Append(Encoding.Latin1.GetString(segment.Span));
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            if (received.ToString().EndsWith(terminator, StringComparison.Ordinal))
                return received.ToString();
            if (result.IsCompleted)
                throw new InvalidOperationException($"connection closed after: {received}");
        }
    }

    /// <summary>Takes whatever replies are already written, without waiting; returns their length.</summary>
    public long DrainAvailable()
    {
        if (!_toClient.Reader.TryRead(out var result))
            return 0;
        var length = result.Buffer.Length;
        _toClient.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }

    /// <summary>Reads until the session closes its side; returns everything it wrote.</summary>
    public async Task<string> ReadToEndAsync()
    {
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _toClient.Reader.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
                received.Append(Encoding.Latin1.GetString(segment.Span));
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                return received.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        // Also unblocks a session waiting to flush replies nobody reads.
        await _toClient.Reader.CompleteAsync();
        await _session.WaitAsync(TimeSpan.FromSeconds(10));
        _store.Dispose();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
