using System.Diagnostics;
using CacheOperator.Hashing;

namespace CacheOperator.Router.Routing;

/// <summary>
/// Finds keys read more than a threshold per second with bounded memory: a count-min sketch counts reads in the
/// current one-second window (cleared each second, so counts are a rate), and a small table keeps the top keys
/// that crossed the threshold, evicting the coolest when full. A hot key stays while it keeps at least half the
/// threshold. Recording a read is a hash, four atomic increments and a scan of at most <see cref="MaxHotKeys"/> hashes.
/// </summary>
internal sealed class HotKeyTracker
{
    public const int MaxHotKeys = 32;
    private const int Depth = 4;
    private const int Width = 1 << 12;

    private readonly int[] _cells = new int[Depth * Width];
    private readonly Lock _hotLock = new();
    private readonly long _window = Stopwatch.Frequency;
    private HotKey[] _hot = [];
    private long _windowStart = Stopwatch.GetTimestamp();

    /// <summary>Hot keys now (a snapshot, replaced on change).</summary>
    public IReadOnlyList<HotKey> Hot => Volatile.Read(ref _hot);

    /// <summary>Counts a read of <paramref name="key"/>; returns its entry when the key is hot.</summary>
    public HotKey? RecordRead(ReadOnlySpan<byte> key, int thresholdPerSecond, Action? detected = null)
    {
        var hash = KeyHasher.Hash(key);
        Roll(thresholdPerSecond);
        var hot = Find(key, hash);
        if (hot is not null)
        {
            Interlocked.Increment(ref hot.WindowReads);
            return hot;
        }

        var estimate = int.MaxValue;
        var h1 = (uint)hash;
        var h2 = (uint)(hash >> 32) | 1;
        for (var d = 0; d < Depth; d++)
        {
            var index = d * Width + (int)((h1 + (uint)d * h2) & (Width - 1));
            estimate = Math.Min(estimate, Interlocked.Increment(ref _cells[index]));
        }

        return estimate >= thresholdPerSecond ? Promote(key, hash, estimate, detected) : null;
    }

    /// <summary>The entry of a key if it is hot (writes use this to reach its copies).</summary>
    public HotKey? Find(ReadOnlySpan<byte> key) => Volatile.Read(ref _hot).Length == 0 ? null : Find(key, KeyHasher.Hash(key));

    private HotKey? Find(ReadOnlySpan<byte> key, ulong hash)
    {
        foreach (var entry in Volatile.Read(ref _hot))
        {
            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
                return entry;
        }

        return null;
    }

    private HotKey? Promote(ReadOnlySpan<byte> key, ulong hash, int estimate, Action? detected)
    {
        lock (_hotLock)
        {
            if (Find(key, hash) is { } already)
                return already;
            var entry = new HotKey(key.ToArray(), hash) { WindowReads = estimate };
            var hot = _hot;
            if (hot.Length < MaxHotKeys)
            {
                Volatile.Write(ref _hot, [.. hot, entry]);
            }
            else
            {
                var coolest = 0;
                for (var i = 1; i < hot.Length; i++)
                {
                    if (hot[i].WindowReads < hot[coolest].WindowReads)
                        coolest = i;
                }

                if (hot[coolest].WindowReads >= estimate)
                    return null;
                var replaced = (HotKey[])hot.Clone();
                replaced[coolest] = entry;
                Volatile.Write(ref _hot, replaced);
            }

            detected?.Invoke();
            return entry;
        }
    }

    /// <summary>Starts a new window once a second: clears the sketch and drops keys that cooled down.</summary>
    private void Roll(int thresholdPerSecond)
    {
        var start = Volatile.Read(ref _windowStart);
        var now = Stopwatch.GetTimestamp();
        if (now - start < _window || Interlocked.CompareExchange(ref _windowStart, now, start) != start)
            return;
        Array.Clear(_cells);
        lock (_hotLock)
        {
            var kept = _hot.Where(h => h.WindowReads >= thresholdPerSecond / 2).ToArray();
            foreach (var entry in kept)
                entry.WindowReads = 0;
            Volatile.Write(ref _hot, kept);
        }
    }
}
