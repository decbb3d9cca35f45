using System.Numerics;
using System.Runtime.CompilerServices;

namespace CacheOperator.Storage;

/// <summary>
/// A memcached-semantics item store bounded by bytes. Items live in large pooled segments (no object per
/// item); a partitioned open-addressing index maps keys to them; eviction is S3-FIFO over segments.
/// Thread-safe; every public method is allocation-free in steady state.
/// </summary>
/// <remarks>
/// Lock order, which keeps this deadlock-free: an open-segment lock, then the eviction lock, then a partition
/// lock, then the queue lock. No thread reserves memory (which may evict) while it holds a partition lock;
/// code that needs both reserves first, then locks and re-checks.
/// </remarks>
public sealed partial class CacheStore : IDisposable
{
    /// <summary>memcached's key length limit.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The key index, split so that unrelated keys never share a lock.</summary>
    private readonly IndexPartition[] _partitions;

    /// <summary>Shift that turns a hash into a partition number (its top bits).</summary>
    private readonly int _partitionShift;

    /// <summary>Source of CAS uniques; also orders writes against flush_all.</summary>
    private long _casCounter;

    /// <summary>Items whose CAS is at or below this were stored before the last flush_all took effect.</summary>
    private long _flushCas;

    /// <summary>Unix seconds at which a delayed flush_all takes effect; 0 when none is pending.</summary>
    private uint _flushAt;

    /// <summary>Runs <see cref="Crawl"/> in the background; null when the crawler is off.</summary>
    private readonly Timer? _crawlerTimer;

    /// <summary>1 while a crawl pass runs, so slow passes never overlap.</summary>
    private int _crawling;

    private long _crawlerRuns;

    public CacheStore(CacheStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Clock = options.Clock;

        int partitions = (int)BitOperations.RoundUpToPowerOf2((uint)options.Partitions);
        _partitions = new IndexPartition[partitions];
        for (int i = 0; i < partitions; i++)
            _partitions[i] = new IndexPartition();
        _partitionShift = 64 - BitOperations.Log2((uint)partitions);

        _segmentSize = CacheStoreOptions.SegmentSizeFor(options.MaxItemSize);
        _maxSegments = (int)(options.MemoryLimitBytes / _segmentSize);
        _segments = new Segment[_maxSegments + 1];
        _probationTarget = Math.Max(1, _maxSegments / 10);
        int ghostSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(options.MemoryLimitBytes / 256, 1024, 1 << 22));
        _ghost = new uint[ghostSize];

        if (options.EnableCrawler)
            _crawlerTimer = new Timer(static state => ((CacheStore)state!).CrawlInBackground(), this, options.CrawlerInterval, options.CrawlerInterval);
    }

    public CacheStoreOptions Options { get; }

    public CacheClock Clock { get; }

    /// <summary>
    /// Set while this node is an asynchronous replica tailing its primary: the protocol layer then refuses
    /// client writes (the replication stream still applies its own). The store itself does not enforce it.
    /// </summary>
    public bool IsReadOnlyReplica
    {
        get => Volatile.Read(ref _readOnlyReplica);
        set => Volatile.Write(ref _readOnlyReplica, value);
    }

    private bool _readOnlyReplica;

    /// <summary>The last CAS handed out: items with a higher CAS were written after this was read.</summary>
    public ulong CurrentCas => (ulong)Interlocked.Read(ref _casCounter);

    /// <summary>Largest value that fits with a key of this length.</summary>
    public int MaxValueLength(int keyLength) => Options.MaxItemSize - ItemHeader.Size - keyLength;

    /// <summary>Invalidates every item now, or every item that exists when the delay has passed.</summary>
    public void FlushAll(long delaySeconds = 0)
    {
        if (delaySeconds <= 0)
        {
            Volatile.Write(ref _flushAt, 0);
            Volatile.Write(ref _flushCas, Interlocked.Read(ref _casCounter));
            NotifyFlushed();
            return;
        }

        Volatile.Write(ref _flushAt, Expiry.ToAbsolute(delaySeconds, Clock.UnixSeconds));
    }

    /// <summary>
    /// One pass of the crawler: reclaims expired and flushed items from the index, then, when memory is full,
    /// compacts the sparsest segments so dead bytes are given back to live items.
    /// </summary>
    public void Crawl()
    {
        uint now = Clock.UnixSeconds;
        ApplyPendingFlush(now);
        const int SlotsPerLockHold = 4096;
        foreach (IndexPartition partition in _partitions)
        {
            for (int start = 0; ; start += SlotsPerLockHold)
            {
                // The lock is released between slices so that traffic on this partition never waits long.
                lock (partition.Gate)
                {
                    if (start >= partition.Capacity)
                        break;
                    int end = Math.Min(partition.Capacity, start + SlotsPerLockHold);
                    for (int slot = start; slot < end;)
                    {
                        ulong location = partition.LocationAt(slot);
                        if (location != 0)
                        {
                            Segment segment = _segments[ItemLocation.SegmentId(location)];
                            ref ItemHeader header = ref segment.HeaderAt(ItemLocation.Offset(location));
                            if (IsDead(ref header, now))
                            {
                                // Removal shifts a later entry into this slot: look at the same slot again.
                                UnlinkReclaimed(partition, slot, segment, ref header);
                                continue;
                            }
                        }

                        slot++;
                    }
                }
            }
        }

        CompactSparseSegments();
        Interlocked.Increment(ref _crawlerRuns);
    }

    public CacheStoreStats GetStats()
    {
        long items = 0, bytes = 0, total = 0, evictions = 0, evictedUnfetched = 0, reclaimed = 0, expiredUnfetched = 0, indexBytes = 0;
        foreach (IndexPartition partition in _partitions)
        {
            lock (partition.Gate)
            {
                items += partition.Items;
                bytes += partition.Bytes;
                total += partition.TotalItems;
                evictions += partition.Evictions;
                evictedUnfetched += partition.EvictedUnfetched;
                reclaimed += partition.Reclaimed;
                expiredUnfetched += partition.ExpiredUnfetched;
                indexBytes += partition.MemoryBytes;
            }
        }

        int allocated, free, probation, main;
        long used = 0;
        lock (_queueLock)
        {
            allocated = _allocatedSegments;
            free = _freeCount;
            probation = _queueCount[QueueIndex(SegmentQueue.Probation)];
            main = _queueCount[QueueIndex(SegmentQueue.Main)];
            for (int id = 1; id <= allocated; id++)
            {
                Segment segment = _segments[id];
                if (segment.Queue != SegmentQueue.Free)
                    used += Math.Min(Volatile.Read(ref segment.Cursor), _segmentSize);
            }
        }

        return new CacheStoreStats
        {
            CurrentItems = items,
            TotalItems = total,
            Bytes = bytes,
            LimitMaxBytes = Options.MemoryLimitBytes,
            Evictions = evictions,
            EvictedUnfetched = evictedUnfetched,
            Reclaimed = reclaimed,
            ExpiredUnfetched = expiredUnfetched,
            AllocatedBytes = (long)allocated * _segmentSize,
            DeadBytes = Math.Max(0, used - bytes),
            SegmentSize = _segmentSize,
            SegmentsAllocated = allocated,
            SegmentsFree = free,
            ProbationSegments = probation,
            MainSegments = main,
            Promotions = Interlocked.Read(ref _promotions),
            ItemsMoved = Interlocked.Read(ref _itemsMoved),
            Compactions = Interlocked.Read(ref _compactions),
            IndexBytes = indexBytes,
            CrawlerRuns = Interlocked.Read(ref _crawlerRuns),
        };
    }

    public void Dispose() => _crawlerTimer?.Dispose();

    private void CrawlInBackground()
    {
        if (Interlocked.Exchange(ref _crawling, 1) == 1)
            return;
        try
        {
            Crawl();
        }
        finally
        {
            Volatile.Write(ref _crawling, 0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private IndexPartition PartitionFor(ulong hash) => _partitions[(int)(hash >> _partitionShift) & (_partitions.Length - 1)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong NextCas() => (ulong)Interlocked.Increment(ref _casCounter);

    /// <summary>A delayed flush_all takes effect at the first operation at or after its time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ApplyPendingFlush(uint now)
    {
        uint at = Volatile.Read(ref _flushAt);
        if (at != 0 && now >= at && Interlocked.CompareExchange(ref _flushAt, 0, at) == at)
        {
            Volatile.Write(ref _flushCas, Interlocked.Read(ref _casCounter));
            NotifyFlushed();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsDead(ref ItemHeader header, uint now)
        => Expiry.IsExpired(header.ExpiresAt, now) || (long)header.Cas <= Volatile.Read(ref _flushCas);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValidateKey(ReadOnlySpan<byte> key)
    {
        if (key.Length is 0 or > MaxKeyLength)
            ThrowInvalidKey(key.Length);
    }

    private static void ThrowInvalidKey(int length)
        => throw new ArgumentException($"key length {length} is outside 1..{MaxKeyLength}", "key");

    /// <summary>Removes a slot's item from the index and its segment's live bytes (partition lock held).</summary>
    private static void Unlink(IndexPartition partition, int slot, Segment segment, int size)
    {
        partition.RemoveAt(slot);
        partition.Items--;
        partition.Bytes -= size;
        Interlocked.Add(ref segment.LiveBytes, -size);
    }

    private static void UnlinkReclaimed(IndexPartition partition, int slot, Segment segment, ref ItemHeader header)
    {
        partition.Reclaimed++;
        if ((header.State & ItemHeader.FetchedBit) == 0)
            partition.ExpiredUnfetched++;
        Unlink(partition, slot, segment, header.TotalSize);
    }

    /// <summary>Points the index at a newly written item, replacing <paramref name="slot"/>'s item if any.</summary>
    private void Link(IndexPartition partition, int slot, ulong hash, Segment segment, int offset, int size)
    {
        if (slot >= 0)
        {
            ulong old = partition.LocationAt(slot);
            Segment oldSegment = _segments[ItemLocation.SegmentId(old)];
            int oldSize = oldSegment.HeaderAt(ItemLocation.Offset(old)).TotalSize;
            partition.Bytes -= oldSize;
            Interlocked.Add(ref oldSegment.LiveBytes, -oldSize);
            partition.SetLocation(slot, ItemLocation.Pack(segment.Id, offset));
        }
        else
        {
            partition.Insert(hash, ItemLocation.Pack(segment.Id, offset));
            partition.Items++;
        }

        partition.Bytes += size;
        partition.TotalItems++;
        Interlocked.Add(ref segment.LiveBytes, size);
        NotifyStored(hash, segment, offset);
    }

    /// <summary>Finds a live item, reclaiming it on the way if it has expired or was flushed (partition lock held).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindLive(IndexPartition partition, ulong hash, ReadOnlySpan<byte> key, uint now)
    {
        int slot = partition.Find(hash, key, _segments);
        if (slot < 0)
            return -1;
        ulong location = partition.LocationAt(slot);
        Segment segment = _segments[ItemLocation.SegmentId(location)];
        ref ItemHeader header = ref segment.HeaderAt(ItemLocation.Offset(location));
        if (!IsDead(ref header, now))
            return slot;
        UnlinkReclaimed(partition, slot, segment, ref header);
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Segment SegmentOf(ulong location) => _segments[ItemLocation.SegmentId(location)];

    /// <summary>Writes a complete item (header, key, value) into reserved space.</summary>
    private static void WriteItem<TSource>(Segment segment, int offset, ReadOnlySpan<byte> key, ref TSource value,
        uint flags, uint expiresAt, uint now)
        where TSource : IValueSource, allows ref struct
    {
        ref ItemHeader header = ref segment.HeaderAt(offset);
        header.ValueLength = value.Length;
        header.KeyLength = (byte)key.Length;
        header.State = 0;
        header.Reserved = 0;
        header.Flags = flags;
        header.ExpiresAt = expiresAt;
        header.Cas = 0;
        header.LastAccess = now;
        Span<byte> memory = segment.Memory.AsSpan(offset + ItemHeader.Size, key.Length + value.Length);
        key.CopyTo(memory);
        value.CopyTo(memory[key.Length..]);
    }

    /// <summary>
    /// Marks reserved space that will not hold a linked item, keeping the segment walkable; the bytes are
    /// reclaimed with the segment.
    /// </summary>
    private static void WriteFiller(Segment segment, int offset, int size)
    {
        ref ItemHeader header = ref segment.HeaderAt(offset);
        header.KeyLength = 0;
        header.ValueLength = size - ItemHeader.Size;
        header.State = 0;
        header.Cas = 0;
        header.ExpiresAt = Expiry.Expired;
    }

    /// <summary>A view of the item at an offset, as of <paramref name="now"/> (partition lock held).</summary>
    private static ItemView ViewOf(Segment segment, int offset, uint now, LeaseFlags lease)
    {
        ref ItemHeader header = ref segment.HeaderAt(offset);
        return new ItemView(KeyOf(segment, offset, ref header), ValueOf(segment, offset, ref header), header.Flags,
            header.Cas, header.ExpiresAt, now, header.LastAccess, (header.State & ItemHeader.FetchedBit) != 0, lease);
    }

    /// <summary>What a replica or a snapshot learns of an item's lease state: only whether it is stale.</summary>
    private static LeaseFlags StalenessOf(ref ItemHeader header)
        => (header.State & ItemHeader.StaleBit) != 0 ? LeaseFlags.Stale : LeaseFlags.None;

    private static ReadOnlySpan<byte> KeyOf(Segment segment, int offset, ref ItemHeader header)
        => segment.Memory.AsSpan(offset + ItemHeader.Size, header.KeyLength);

    private static Span<byte> ValueOf(Segment segment, int offset, ref ItemHeader header)
        => segment.Memory.AsSpan(offset + ItemHeader.Size + header.KeyLength, header.ValueLength);
}
