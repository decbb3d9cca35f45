using System.Buffers;
using CacheOperator.Hashing;

namespace CacheOperator.Storage;

/// <summary>
/// Walks the live items of selected keys, one index partition at a time, without holding a lock for long.
/// Each partition's selected keys are captured under its lock; each item is then read under the lock by
/// key, so an item that eviction moved is still found, one overwritten is read at its newest version, and
/// one deleted is skipped. Started after a mutation observer, it misses nothing: every key live at capture
/// is read, and every later change reaches the observer.
/// </summary>
public sealed class SnapshotCursor : IDisposable
{
    private readonly CacheStore _store;
    private readonly Func<ulong, bool> _selects;

    /// <summary>Captured keys of the current partition, back to back.</summary>
    private byte[] _keys = ArrayPool<byte>.Shared.Rent(64 * 1024);

    /// <summary>End offset of each captured key in <see cref="_keys"/>.</summary>
    private int[] _ends = ArrayPool<int>.Shared.Rent(1024);

    private int _captured;
    private int _next;
    private int _partition = -1;

    internal SnapshotCursor(CacheStore store, Func<ulong, bool> selects)
    {
        _store = store;
        _selects = selects;
    }

    /// <summary>Index partitions walked so far, of <see cref="PartitionCount"/>, for progress reports.</summary>
    public int PartitionsDone => Math.Max(0, _partition);

    public int PartitionCount => _store.PartitionCount;

    /// <summary>Delivers up to <paramref name="maxItems"/> items; false once every partition is done.</summary>
    public bool ReadNext<TReader>(ref TReader reader, int maxItems)
        where TReader : ISnapshotReader, allows ref struct
    {
        int delivered = 0;
        while (delivered < maxItems)
        {
            if (_next == _captured)
            {
                if (++_partition >= _store.PartitionCount)
                {
                    _partition = _store.PartitionCount;
                    return false;
                }

                _captured = _store.CaptureKeys(_partition, _selects, ref _keys, ref _ends);
                _next = 0;
                continue;
            }

            int start = _next == 0 ? 0 : _ends[_next - 1];
            ReadOnlySpan<byte> key = _keys.AsSpan(start, _ends[_next] - start);
            _next++;
            if (_store.ReadForSnapshot(key, KeyHasher.Hash(key), ref reader))
                delivered++;
        }

        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_keys);
        ArrayPool<int>.Shared.Return(_ends);
        _keys = [];
        _ends = [];
    }
}
