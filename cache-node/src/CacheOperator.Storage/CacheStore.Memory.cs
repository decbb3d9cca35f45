using CacheOperator.Hashing;
namespace CacheOperator.Storage;

// Memory: segments are appended to by many writers at once (one atomic add per item), sealed into
// FIFO queues when full, and reclaimed whole by S3-FIFO eviction: a sealed probation segment's items that
// were read move to main, the rest are evicted (their hashes remembered in a ghost table so a quick
// return goes straight to main); a main segment's items that were read since they last moved are kept
// (their count decremented), the rest are evicted.
public sealed partial class CacheStore
{
    private readonly int _segmentSize;

    /// <summary>Segments the memory limit allows (changed by <see cref="SetMemoryLimit"/>).</summary>
    private int _maxSegments;

    /// <summary>Segments by id; slot 0 stays empty so that location 0 can mean "no item". Replaced, never shrunk, when the limit grows.</summary>
    private Segment[] _segments;

    /// <summary>Probation's share of sealed segments before main is evicted instead (S3-FIFO's 10%).</summary>
    private int _probationTarget;

    /// <summary>Fingerprints of recently evicted probation items, by hash slot.</summary>
    private readonly uint[] _ghost;

    /// <summary>Guards the queues, the free list and segment allocation.</summary>
    private readonly Lock _queueLock = new();

    /// <summary>One eviction at a time: each walks a whole segment.</summary>
    private readonly Lock _evictLock = new();

    /// <summary>Open segments by kind (probation, main), appended to without a lock.</summary>
    private readonly Segment?[] _open = new Segment?[2];

    /// <summary>Serialises replacing a full open segment, per kind.</summary>
    private readonly Lock[] _openLocks = [new(), new()];

    private readonly Segment?[] _queueHead = new Segment?[2];
    private readonly Segment?[] _queueTail = new Segment?[2];
    private readonly int[] _queueCount = new int[2];

    private Segment? _freeHead;
    private int _freeCount;
    private int _allocatedSegments;

    private long _promotions;
    private long _itemsMoved;

    /// <summary>
    /// Changes the item memory bound at run time (memcached's cache_memlimit). Raising it lets new segments be
    /// allocated at once; lowering it makes eviction keep the items within the new bound, while segments
    /// already allocated stay with the process for reuse.
    /// </summary>
    public void SetMemoryLimit(long bytes)
    {
        int segments = (int)Math.Min(int.MaxValue - 1, bytes / _segmentSize);
        if (segments < 4)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"memory limit must hold at least 4 segments of {_segmentSize} bytes");
        lock (_queueLock)
        {
            if (segments + 1 > _segments.Length)
            {
                Segment[] larger = new Segment[segments + 1];
                Array.Copy(_segments, larger, _segments.Length);
                Volatile.Write(ref _segments, larger);
            }

            _maxSegments = segments;
            _probationTarget = Math.Max(1, segments / 10);
            Options.MemoryLimitBytes = bytes;
        }
    }

    private static int QueueIndex(SegmentQueue kind) => kind == SegmentQueue.Main ? 1 : 0;

    /// <summary>
    /// Reserves <paramref name="size"/> bytes in the open segment of a kind. The caller must write a whole
    /// item (or a filler) there and then decrement <see cref="Segment.Pending"/>. With
    /// <paramref name="mayEvict"/> false (eviction itself relocating items) it never waits on eviction.
    /// </summary>
    private bool TryReserve(SegmentQueue kind, int size, bool mayEvict, out Segment segment, out int offset)
    {
        int k = QueueIndex(kind);
        SpinWait spin = default;
        while (true)
        {
            Segment? open = Volatile.Read(ref _open[k]);
            if (open is null)
            {
                if (!TryOpen(k, kind, mayEvict))
                    break;
                continue;
            }

            if (Volatile.Read(ref open.Cursor) > _segmentSize)
            {
                // Full, and the writer whose reservation overflowed first is replacing it.
                if (!mayEvict)
                    break;
                spin.SpinOnce();
                continue;
            }

            Interlocked.Increment(ref open.Pending);
            int end = Interlocked.Add(ref open.Cursor, size);
            if (end <= _segmentSize)
            {
                segment = open;
                offset = end - size;
                return true;
            }

            Interlocked.Decrement(ref open.Pending);
            int start = end - size;
            if (start <= _segmentSize)
            {
                // Exactly one reservation straddles the end: its writer seals the segment.
                open.End = start;
                Seal(k, open);
            }
        }

        segment = null!;
        offset = 0;
        return false;
    }

    private void Seal(int k, Segment segment)
    {
        Interlocked.CompareExchange(ref _open[k], null, segment);
        lock (_queueLock)
        {
            segment.Queue = segment.Kind;
            segment.Previous = _queueTail[k];
            segment.Next = null;
            if (_queueTail[k] is { } tail)
                tail.Next = segment;
            else
                _queueHead[k] = segment;
            _queueTail[k] = segment;
            _queueCount[k]++;
        }
    }

    private bool TryOpen(int k, SegmentQueue kind, bool mayEvict)
    {
        Lock openLock = _openLocks[k];
        if (mayEvict)
            openLock.Enter();
        else if (!openLock.TryEnter())
            return false;
        try
        {
            if (Volatile.Read(ref _open[k]) is not null)
                return true;
            // Writers leave one free segment for eviction to move items into; eviction may take it.
            Segment? segment = TakeFreeSegment(keepSpare: mayEvict) ?? (mayEvict ? EvictUntilFree() : null);
            if (segment is null)
                return false;
            if (Volatile.Read(ref _open[k]) is not null)
            {
                // Eviction moved items into this kind and opened a segment for them (the lock is re-entrant):
                // keep that one, or its items would be in no queue and their memory lost to eviction.
                ReleaseSegment(segment);
                return true;
            }

            segment.Reset(kind);
            Volatile.Write(ref _open[k], segment);
            return true;
        }
        finally
        {
            openLock.Exit();
        }
    }

    private Segment? TakeFreeSegment(bool keepSpare)
    {
        lock (_queueLock)
        {
            // Room is what the limit allows beyond the segments in use; the spare is counted in it, so it
            // exists from the start, and a lowered limit makes eviction free segments until use fits again.
            int inUse = _allocatedSegments - _freeCount;
            if (_maxSegments - inUse <= (keepSpare ? 1 : 0))
                return null;
            if (_freeCount > 0)
            {
                Segment segment = _freeHead!;
                _freeHead = segment.Next;
                _freeCount--;
                segment.Next = null;
                return segment;
            }

            if (_allocatedSegments < _maxSegments)
            {
                int id = ++_allocatedSegments;
                Segment segment = new(id, _segmentSize);
                _segments[id] = segment;
                return segment;
            }
        }

        return null;
    }

    private void ReleaseSegment(Segment segment)
    {
        lock (_queueLock)
        {
            segment.Queue = SegmentQueue.Free;
            segment.Previous = null;
            segment.Next = _freeHead;
            _freeHead = segment;
            _freeCount++;
        }
    }

    private Segment? EvictUntilFree()
    {
        lock (_evictLock)
        {
            // Bounded: each pass frees a segment, and after a full round the spare may be used too.
            int rounds = Math.Max(_maxSegments, _allocatedSegments);
            for (int attempt = 0; attempt < rounds * 4; attempt++)
            {
                Segment? free = TakeFreeSegment(keepSpare: attempt < rounds);
                if (free is not null)
                    return free;
                if (!EvictOneSegment())
                    break;
            }

            return TakeFreeSegment(keepSpare: false);
        }
    }

    /// <summary>A sealed segment whose live bytes fall below this share of its length is worth compacting.</summary>
    private const double CompactBelowLiveRatio = 0.5;

    /// <summary>Most segments one crawler pass compacts, so a pass stays short.</summary>
    private const int CompactionsPerPass = 8;

    private long _compactions;

    /// <summary>
    /// Log cleaning: when memory is full, moves the live items out of the sparsest sealed segments (mostly
    /// overwritten or deleted versions) and frees them, so dead bytes do not push live items out. Moved items
    /// keep their access counts and queue kind.
    /// </summary>
    internal void CompactSparseSegments()
    {
        for (int done = 0; done < CompactionsPerPass; done++)
        {
            lock (_evictLock)
            {
                Segment? sparse;
                lock (_queueLock)
                {
                    // Only when memory is full (all but the spare in use): before that, new segments are free.
                    if (_maxSegments - (_allocatedSegments - _freeCount) > 1)
                        return;
                    sparse = SparsestSealedSegment();
                    if (sparse is null)
                        return;
                    Unqueue(sparse);
                }

                Reclaim(sparse, compact: true);
                _compactions++;
            }
        }
    }

    private Segment? SparsestSealedSegment()
    {
        Segment? sparsest = null;
        double lowest = CompactBelowLiveRatio;
        for (int k = 0; k < 2; k++)
        {
            for (Segment? segment = _queueHead[k]; segment is not null; segment = segment.Next)
            {
                double ratio = segment.End == 0 ? 0 : (double)Volatile.Read(ref segment.LiveBytes) / segment.End;
                if (ratio < lowest)
                {
                    lowest = ratio;
                    sparsest = segment;
                }
            }
        }

        return sparsest;
    }

    /// <summary>Takes a sealed segment out of its queue (queue lock held).</summary>
    private void Unqueue(Segment segment)
    {
        int k = QueueIndex(segment.Queue);
        if (segment.Previous is { } previous)
            previous.Next = segment.Next;
        else
            _queueHead[k] = segment.Next;
        if (segment.Next is { } next)
            next.Previous = segment.Previous;
        else
            _queueTail[k] = segment.Previous;
        _queueCount[k]--;
        segment.Next = null;
        segment.Previous = null;
        segment.Queue = SegmentQueue.Free;
    }

    /// <summary>Walks a segment taken out of its queue, evicting or moving each live item, then frees it.</summary>
    private void Reclaim(Segment victim, bool compact)
    {
        // Writers that reserved space before the segment was sealed finish linking first.
        SpinWait spin = default;
        while (Volatile.Read(ref victim.Pending) != 0)
            spin.SpinOnce();

        uint now = Clock.UnixSeconds;
        bool fromProbation = victim.Kind == SegmentQueue.Probation;
        for (int offset = 0; offset < victim.End;)
        {
            ref ItemHeader header = ref victim.HeaderAt(offset);
            int size = header.TotalSize;
            if (header.KeyLength != 0)
                EvictOrMove(victim, offset, size, fromProbation, now, compact);
            offset += size;
        }

        ReleaseSegment(victim);
    }

    /// <summary>Reclaims the oldest segment of the queue that is over its share (eviction lock held).</summary>
    private bool EvictOneSegment()
    {
        Segment? victim;
        lock (_queueLock)
        {
            int p = QueueIndex(SegmentQueue.Probation), m = QueueIndex(SegmentQueue.Main);
            int k = (_queueCount[p] > _probationTarget || _queueCount[m] == 0) ? p : m;
            if (_queueHead[k] is null)
                k = 1 - k;
            victim = _queueHead[k];
            if (victim is null)
                return false;
            Unqueue(victim);
        }

        Reclaim(victim, compact: false);
        return true;
    }

    /// <summary>
    /// One item of a segment being reclaimed: eviction keeps it (moving it to main) only if it was read since
    /// it arrived or last moved; compaction keeps every live item, in its own queue kind.
    /// </summary>
    private void EvictOrMove(Segment victim, int offset, int size, bool fromProbation, uint now, bool compact)
    {
        ref ItemHeader header = ref victim.HeaderAt(offset);
        ReadOnlySpan<byte> key = KeyOf(victim, offset, ref header);
        ulong hash = KeyHasher.Hash(key);
        IndexPartition partition = PartitionFor(hash);
        ulong location = ItemLocation.Pack(victim.Id, offset);
        lock (partition.Gate)
        {
            int slot = partition.FindLocation(hash, location);
            if (slot < 0)
                return;
            if (IsDead(ref header, now))
            {
                UnlinkReclaimed(partition, slot, victim, ref header);
                return;
            }

            if (!compact && (header.State & ItemHeader.FrequencyMask) == 0)
            {
                Evict(partition, slot, victim, ref header, hash, fromProbation);
                return;
            }
        }

        // Kept: space is reserved with no lock held, then the copy is made under the lock so no in-place
        // update (touch, incr) is lost.
        SegmentQueue destination = compact ? victim.Kind : SegmentQueue.Main;
        if (!TryReserve(destination, size, mayEvict: false, out Segment target, out int targetOffset))
        {
            lock (partition.Gate)
            {
                int slot = partition.FindLocation(hash, location);
                if (slot >= 0)
                    Evict(partition, slot, victim, ref header, hash, fromProbation);
            }

            return;
        }

        lock (partition.Gate)
        {
            victim.Memory.AsSpan(offset, size).CopyTo(target.Memory.AsSpan(targetOffset, size));
            int slot = partition.FindLocation(hash, location);
            if (slot >= 0)
            {
                ref ItemHeader moved = ref target.HeaderAt(targetOffset);
                if (!compact)
                {
                    // Promotion starts main's count afresh; a second chance in main costs one count.
                    int frequency = moved.State & ItemHeader.FrequencyMask;
                    int kept = fromProbation ? 0 : frequency - 1;
                    moved.State = (byte)((moved.State & ~ItemHeader.FrequencyMask) | kept);
                    if (fromProbation)
                        _promotions++;
                }

                partition.SetLocation(slot, ItemLocation.Pack(target.Id, targetOffset));
                Interlocked.Add(ref victim.LiveBytes, -size);
                Interlocked.Add(ref target.LiveBytes, size);
                _itemsMoved++;
            }
        }

        Interlocked.Decrement(ref target.Pending);
    }

    private void Evict(IndexPartition partition, int slot, Segment victim, ref ItemHeader header, ulong hash, bool fromProbation)
    {
        partition.Evictions++;
        if ((header.State & ItemHeader.FetchedBit) == 0)
            partition.EvictedUnfetched++;
        Unlink(partition, slot, victim, header.TotalSize);
        if (fromProbation)
            _ghost[(int)hash & (_ghost.Length - 1)] = (uint)(hash >> 32) | 1;
    }

    /// <summary>New items go to probation unless the key was evicted from it recently (S3-FIFO's ghost hit).</summary>
    private SegmentQueue AdmissionQueue(ulong hash)
    {
        ref uint ghost = ref _ghost[(int)hash & (_ghost.Length - 1)];
        if (ghost == ((uint)(hash >> 32) | 1))
        {
            ghost = 0;
            return SegmentQueue.Main;
        }

        return SegmentQueue.Probation;
    }
}
