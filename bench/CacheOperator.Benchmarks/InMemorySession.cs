using System.IO.Pipelines;
using CacheOperator.Metrics;
using CacheOperator.Server;
using CacheOperator.Server.Observability;
using CacheOperator.Server.Session;
using CacheOperator.Storage;

namespace CacheOperator.Benchmarks;

/// <summary>
/// A real <see cref="MemcachedSession"/> over in-memory pipes whose continuations run inline: once the session
/// waits for input, writing a request runs it to its reply on the writer's thread, with no socket and no thread
/// hop. What is left is the node's own per-request work: parse, store, format, flush.
/// </summary>
internal sealed class InMemorySession : IAsyncDisposable
{
    private static readonly PipeOptions Inline = new(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly Pipe _requests = new(Inline);
    private readonly Pipe _replies = new(Inline);
    private readonly Task _running;

    public InMemorySession(CacheStore store)
    {
        NodeOptions options = new();
        NodeMetrics metrics = new(new MetricsRegistry(), store, options);
        MemcachedSession session = new(store, options, metrics, new StatsReport(metrics, store, options));
        _running = Task.Run(() => session.RunAsync(new Transport(_requests.Reader, _replies.Writer)));
    }

    /// <summary>Waits (bounded) until the session answers inline, so later sends are measured on this thread.</summary>
    public void WaitUntilInline()
    {
        byte[] noop = "mn\r\n"u8.ToArray();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            Send(noop);
            Thread.Sleep(10);
            if (Drain() > 0 && Send(noop) && Drain() > 0)
                return;
        }

        throw new InvalidOperationException("the session never answered inline");
    }

    /// <summary>Writes the bytes; true when the session consumed them before the write returned.</summary>
    public bool Send(ReadOnlyMemory<byte> bytes) => _requests.Writer.WriteAsync(bytes).IsCompletedSuccessfully;

    /// <summary>Takes every reply byte written so far; returns how many there were.</summary>
    public long Drain()
    {
        if (!_replies.Reader.TryRead(out ReadResult result))
            return 0;
        long length = result.Buffer.Length;
        _replies.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }

    public async ValueTask DisposeAsync()
    {
        await _requests.Writer.CompleteAsync();
        await _replies.Reader.CompleteAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
