using System.IO.Pipelines;
using CacheOperator.Storage;

namespace CacheOperator.Replication;

/// <summary>
/// The sending side of a bucket stream: starts a log of the buckets' mutations, sends a snapshot of their
/// live items, then the log, then keeps tailing it until the target goes away or the caller cancels.
/// Back-pressure comes from the output pipe; a target too slow for the log's budget gets a Restart frame.
/// </summary>
public sealed class StreamSource
{
    private readonly CacheStore _store;
    private readonly BucketSet _buckets;
    private readonly StreamSourceOptions _options;

    public StreamSource(CacheStore store, BucketSet buckets, StreamProgress progress, StreamSourceOptions? options = null)
    {
        _store = store;
        _buckets = buckets;
        Progress = progress;
        _options = options ?? new StreamSourceOptions();
    }

    public StreamProgress Progress { get; }

    /// <summary>Runs until cancelled, the output completes, or the log overflows (then the target starts over).</summary>
    public async Task RunAsync(PipeWriter output, CancellationToken cancellation)
    {
        using MutationLog log = new(_buckets, _options.LogBudgetBytes);
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, log.OverflowToken);
        // The log starts before the snapshot walk: any change the walk misses is in the log.
        _store.Subscribe(log);
        try
        {
            await SendAsync(output, log, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (log.Overflowed && !cancellation.IsCancellationRequested)
        {
            // Stuck on a full network buffer while the log overflowed: end the stream; the target starts over.
            Progress.CountOverflow();
            Progress.LastError = $"log overflowed its budget of {_options.LogBudgetBytes} bytes while the target was not reading";
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Stopped by the caller (the target disconnected or the stream was ended): not an error.
        }
        finally
        {
            _store.Unsubscribe(log);
            Progress.PendingLogBytes = 0;
            Progress.Phase = StreamPhase.Stopped;
        }
    }

    private async Task SendAsync(PipeWriter output, MutationLog log, CancellationToken cancellation)
    {
        Write(output, FrameType.Hello, [StreamFrames.FormatVersion, _buckets.BucketCount]);
        Progress.Phase = StreamPhase.Snapshot;
        using (SnapshotCursor cursor = _store.OpenSnapshot(_buckets.Selects))
        {
            SnapshotFrameWriter writer = new(output, Progress);
            while (cursor.ReadNext(ref writer, 64))
            {
                if (log.Overflowed)
                {
                    await RestartAsync(output, log, cancellation).ConfigureAwait(false);
                    return;
                }

                if (output.UnflushedBytes >= _options.FlushThresholdBytes && await FlushAsync(output, log, cancellation).ConfigureAwait(false))
                    return;
            }
        }

        Write(output, FrameType.SnapshotEnd, [Progress.Items, Progress.Bytes]);
        Progress.Phase = StreamPhase.CatchUp;
        while (!cancellation.IsCancellationRequested)
        {
            if (log.Overflowed)
            {
                await RestartAsync(output, log, cancellation).ConfigureAwait(false);
                return;
            }

            long moved = log.DrainTo(output, _options.FlushThresholdBytes);
            Progress.AddBytes(moved);
            Progress.PendingLogBytes = log.PendingBytes;
            if (moved == 0)
            {
                Progress.Phase = StreamPhase.Tailing;
                Progress.SetLastSequence(log.LastSequence);
                Write(output, FrameType.Heartbeat, [log.LastSequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()]);
                if (await FlushAsync(output, log, cancellation).ConfigureAwait(false))
                    return;
                await log.WaitAsync(_options.HeartbeatInterval, cancellation).ConfigureAwait(false);
                continue;
            }

            if (await FlushAsync(output, log, cancellation).ConfigureAwait(false))
                return;
        }
    }

    /// <summary>Flushes; true when the reader is gone and the stream should end.</summary>
    private async ValueTask<bool> FlushAsync(PipeWriter output, MutationLog log, CancellationToken cancellation)
    {
        FlushResult result = await output.FlushAsync(cancellation).ConfigureAwait(false);
        Progress.PendingLogBytes = log.PendingBytes;
        return result.IsCompleted || result.IsCanceled;
    }

    private async Task RestartAsync(PipeWriter output, MutationLog log, CancellationToken cancellation)
    {
        Progress.CountOverflow();
        Progress.LastError = $"log overflowed its budget of {_options.LogBudgetBytes} bytes; the target must start over";
        StreamFrames.WriteRestart(output, Progress.LastError);
        await FlushAsync(output, log, cancellation).ConfigureAwait(false);
    }

    private static void Write(PipeWriter output, FrameType type, ReadOnlySpan<long> numbers)
    {
        int size = StreamFrames.NumbersFrameSize(numbers.Length);
        StreamFrames.WriteNumbers(output.GetSpan(size), type, numbers);
        output.Advance(size);
    }

    /// <summary>Writes snapshot items straight into the pipe while the store holds each item steady.</summary>
    private readonly struct SnapshotFrameWriter(PipeWriter output, StreamProgress progress) : ISnapshotReader
    {
        public void Read(ulong keyHash, in ItemView item)
        {
            int size = StreamFrames.ItemFrameSize(item.Key.Length, item.Value.Length);
            StreamFrames.WriteItem(output.GetSpan(size), FrameType.SnapshotItem, 0, 0, in item);
            output.Advance(size);
            progress.AddItem(size);
        }
    }
}
