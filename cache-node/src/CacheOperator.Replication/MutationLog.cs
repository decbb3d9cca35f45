using System.Buffers;
using System.Threading.Channels;
using CacheOperator.Storage;

namespace CacheOperator.Replication;

/// <summary>
/// A stream's log: every mutation of its buckets, encoded as frames into pooled chunks the moment the store
/// applies it. Bounded: past the budget it stops recording and reports overflow (the stream then starts
/// over), so a slow target can never make the source's memory grow or its clients wait.
/// </summary>
internal sealed class MutationLog : IMutationObserver, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly BucketSet _buckets;
    private readonly long _budgetBytes;
    private readonly Lock _gate = new();

    /// <summary>Filled chunks, oldest first, with the bytes used in each.</summary>
    private readonly Queue<(byte[] Chunk, int Used, int Entries)> _filled = new();

    /// <summary>Wakes the stream's sender when a frame is appended; holds at most one wake-up.</summary>
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Cancelled when the log overflows, so a sender stuck on a full network buffer gives up at once.</summary>
    private readonly CancellationTokenSource _overflow = new();

    private byte[]? _current;
    private int _currentUsed;
    private int _currentEntries;
    private long _pendingBytes;
    private long _pendingEntries;
    private long _sequence;
    private bool _overflowed;
    private bool _disposed;

    public MutationLog(BucketSet buckets, long budgetBytes)
    {
        _buckets = buckets;
        _budgetBytes = budgetBytes;
    }

    public bool Overflowed => Volatile.Read(ref _overflowed);

    public CancellationToken OverflowToken => _overflow.Token;

    /// <summary>The last sequence number logged.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public long PendingEntries => Interlocked.Read(ref _pendingEntries);

    public bool Selects(ulong keyHash) => _buckets.Selects(keyHash);

    public void OnStored(ulong keyHash, in ItemView item)
    {
        int size = StreamFrames.ItemFrameSize(item.Key.Length, item.Value.Length);
        lock (_gate)
        {
            Span<byte> span = Reserve(size);
            if (!span.IsEmpty)
                StreamFrames.WriteItem(span, FrameType.Upsert, (ulong)++_sequence, Now(), in item);
        }

        Wake();
    }

    public void OnDeleted(ulong keyHash, ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            Span<byte> span = Reserve(StreamFrames.DeleteFrameSize(key.Length));
            if (!span.IsEmpty)
                StreamFrames.WriteDelete(span, (ulong)++_sequence, Now(), key);
        }

        Wake();
    }

    public void OnFlushed()
    {
        lock (_gate)
        {
            Span<byte> span = Reserve(StreamFrames.NumbersFrameSize(2));
            if (!span.IsEmpty)
                StreamFrames.WriteNumbers(span, FrameType.Flush, [++_sequence, Now()]);
        }

        Wake();
    }

    /// <summary>Waits until something is logged or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        linked.CancelAfter(timeout);
        try
        {
            if (await _signal.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
                _signal.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // The timeout: the caller sends a heartbeat.
        }
    }

    /// <summary>Moves logged frames to the output, oldest first; returns the bytes moved.</summary>
    public long DrainTo(IBufferWriter<byte> output, long maxBytes)
    {
        long moved = 0;
        while (moved < maxBytes)
        {
            (byte[] Chunk, int Used, int Entries) next;
            lock (_gate)
            {
                if (_filled.Count > 0)
                {
                    next = _filled.Dequeue();
                }
                else if (_current is not null && _currentUsed > 0)
                {
                    next = (_current, _currentUsed, _currentEntries);
                    _current = null;
                    _currentUsed = 0;
                    _currentEntries = 0;
                }
                else
                {
                    break;
                }
            }

            output.Write(next.Chunk.AsSpan(0, next.Used));
            moved += next.Used;
            ArrayPool<byte>.Shared.Return(next.Chunk);
            Interlocked.Add(ref _pendingBytes, -next.Used);
            Interlocked.Add(ref _pendingEntries, -next.Entries);
        }

        return moved;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_filled.Count > 0)
                ArrayPool<byte>.Shared.Return(_filled.Dequeue().Chunk);
            if (_current is not null)
                ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }

        _overflow.Dispose();
    }

    /// <summary>Room for one frame in the current chunk, or null once over budget (lock held).</summary>
    private Span<byte> Reserve(int size)
    {
        if (_overflowed || _disposed)
            return default;
        if (_pendingBytes + size > _budgetBytes)
        {
            Volatile.Write(ref _overflowed, true);
            // Cancel off this thread: the caller holds the store's partition lock, and cancellation runs callbacks.
            ThreadPool.UnsafeQueueUserWorkItem(static log => log.CancelOverflowToken(), this, preferLocal: false);
            return default;
        }

        if (_current is null || _currentUsed + size > _current.Length)
        {
            if (_current is not null)
                _filled.Enqueue((_current, _currentUsed, _currentEntries));
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, size));
            _currentUsed = 0;
            _currentEntries = 0;
        }

        Span<byte> span = _current.AsSpan(_currentUsed, size);
        _currentUsed += size;
        _currentEntries++;
        Interlocked.Add(ref _pendingBytes, size);
        Interlocked.Increment(ref _pendingEntries);
        return span;
    }

    /// <summary>
    /// Runs on the thread pool after an overflow. The stream may have ended and disposed the log meanwhile;
    /// an exception here would take the whole node down, so a disposed log is simply left alone.
    /// </summary>
    private void CancelOverflowToken()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
        }

        try
        {
            _overflow.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the cancel: nothing is waiting on it any more.
        }
    }

    private void Wake() => _signal.Writer.TryWrite(true);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
