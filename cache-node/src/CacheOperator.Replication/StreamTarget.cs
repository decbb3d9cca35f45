using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using CacheOperator.Hashing;
using CacheOperator.Storage;

namespace CacheOperator.Replication;

/// <summary>
/// The applying side of a bucket stream. Each attempt first drops what it holds of the buckets (so a delete
/// the source made while the stream was down cannot survive), then applies the snapshot — never over a
/// write made here after the attempt began — then the log, in order: a logged delete always applies.
/// </summary>
public sealed class StreamTarget
{
    private readonly CacheStore _store;
    private readonly BucketSet _buckets;

    public StreamTarget(CacheStore store, BucketSet buckets, StreamProgress progress)
    {
        _store = store;
        _buckets = buckets;
        Progress = progress;
    }

    public StreamProgress Progress { get; }

    /// <summary>Applies one attempt of a stream until it ends.</summary>
    public async Task<StreamEnd> RunAsync(PipeReader input, CancellationToken cancellation)
    {
        _store.DropWhere(_buckets.Selects);
        ulong attemptStartCas = _store.CurrentCas;
        Progress.Phase = StreamPhase.Snapshot;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(cancellation).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                SequenceReader<byte> reader = new(buffer);
                StreamEnd? end = null;
                while (end is null && StreamFrames.TryReadFrame(ref reader, out FrameType type, out ReadOnlySequence<byte> payload))
                    end = Apply(type, payload, attemptStartCas);
                input.AdvanceTo(reader.Position, buffer.End);
                if (end is { } ended)
                    return ended;
                if (result.IsCompleted || result.IsCanceled)
                    return StreamEnd.EndOfStream;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return StreamEnd.Stopped;
        }
    }

    private StreamEnd? Apply(FrameType type, ReadOnlySequence<byte> payload, ulong attemptStartCas)
    {
        long size = StreamFrames.HeaderSize + payload.Length;
        switch (type)
        {
            case FrameType.Hello:
                long version = ReadNumber(payload, 0);
                if (version != StreamFrames.FormatVersion)
                    throw new InvalidDataException($"the source speaks stream format {version}; this node speaks {StreamFrames.FormatVersion}");
                return null;
            case FrameType.SnapshotItem:
                ApplyItem(payload, keepNewerThanCas: attemptStartCas, out _, out _);
                Progress.AddItem(size);
                return null;
            case FrameType.SnapshotEnd:
                Progress.Phase = StreamPhase.CatchUp;
                return null;
            case FrameType.Upsert:
                ApplyItem(payload, keepNewerThanCas: 0, out long sequence, out long unixMs);
                Progress.AddLogEntry(sequence, size, LagOf(unixMs));
                return null;
            case FrameType.Delete:
                ApplyDelete(payload, out long deleteSequence, out long deleteMs);
                Progress.AddLogEntry(deleteSequence, size, LagOf(deleteMs));
                return null;
            case FrameType.Flush:
                // flush_all on the source empties only these buckets here: the rest of this node is not the source's.
                _store.DropWhere(_buckets.Selects);
                Progress.AddLogEntry(ReadNumber(payload, 0), size, LagOf(ReadNumber(payload, 1)));
                return null;
            case FrameType.Heartbeat:
                Progress.SetSourceSequence(ReadNumber(payload, 0));
                if (Progress.Phase == StreamPhase.CatchUp && Progress.LagEntries == 0)
                    Progress.Phase = StreamPhase.Tailing;
                return null;
            case FrameType.Restart:
                Progress.LastError = System.Text.Encoding.UTF8.GetString(payload.ToArray());
                return StreamEnd.RestartRequested;
            default:
                throw new InvalidDataException($"unexpected frame {type}");
        }
    }

    private void ApplyItem(ReadOnlySequence<byte> payload, ulong keepNewerThanCas, out long sequence, out long unixMs)
    {
        SequenceReader<byte> reader = new(payload);
        reader.TryReadLittleEndian(out sequence);
        reader.TryReadLittleEndian(out unixMs);
        reader.TryRead(out byte state);
        reader.TryReadLittleEndian(out int flags);
        reader.TryReadLittleEndian(out int expiresAt);
        reader.TryRead(out byte keyLength);
        Span<byte> key = stackalloc byte[keyLength];
        if (!reader.TryCopyTo(key))
            throw new InvalidDataException("truncated item frame");
        reader.Advance(keyLength);
        reader.TryReadLittleEndian(out int valueLength);
        if (valueLength < 0 || reader.Remaining != valueLength)
            throw new InvalidDataException("item frame length mismatch");

        // A key outside the stream's buckets is never let in, whatever the source sends.
        if (!_buckets.Selects(KeyHasher.Hash(key)))
            return;
        uint expiry = (uint)expiresAt;
        if (Expiry.IsExpired(expiry, _store.Clock.UnixSeconds))
        {
            // Expired in flight: a snapshot item is skipped, a logged write leaves the key absent as on the source.
            if (keepNewerThanCas == 0)
                _store.Delete(key, default);
            return;
        }

        StoreRequest request = new(StoreMode.Set, (uint)flags, expiry) { KeepItemsNewerThanCas = keepNewerThanCas };
        StoreResult stored = _store.Store(key, in request, reader.UnreadSequence, out _);
        if (stored == StoreResult.Stored && (state & StreamFrames.StaleState) != 0)
            _store.Delete(key, new DeleteRequest { Invalidate = true });
    }

    private void ApplyDelete(ReadOnlySequence<byte> payload, out long sequence, out long unixMs)
    {
        SequenceReader<byte> reader = new(payload);
        reader.TryReadLittleEndian(out sequence);
        reader.TryReadLittleEndian(out unixMs);
        reader.TryRead(out byte keyLength);
        Span<byte> key = stackalloc byte[keyLength];
        if (keyLength == 0 || !reader.TryCopyTo(key))
            throw new InvalidDataException("truncated delete frame");
        _store.Delete(key, default);
    }

    private static long ReadNumber(ReadOnlySequence<byte> payload, int index)
    {
        Span<byte> number = stackalloc byte[8];
        payload.Slice(index * 8, 8).CopyTo(number);
        return BinaryPrimitives.ReadInt64LittleEndian(number);
    }

    private static long LagOf(long unixMs) => Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - unixMs);
}
