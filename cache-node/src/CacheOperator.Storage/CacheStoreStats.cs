namespace CacheOperator.Storage;

/// <summary>A consistent-enough snapshot of the store's counters (each partition is read under its lock).</summary>
public sealed record CacheStoreStats
{
    /// <summary>Live items.</summary>
    public long CurrentItems { get; init; }

    /// <summary>Items stored since start.</summary>
    public long TotalItems { get; init; }

    /// <summary>Bytes of live items: header, key and value.</summary>
    public long Bytes { get; init; }

    /// <summary>The configured item memory bound.</summary>
    public long LimitMaxBytes { get; init; }

    /// <summary>Live items removed to make room.</summary>
    public long Evictions { get; init; }

    /// <summary>Evicted items that were never read.</summary>
    public long EvictedUnfetched { get; init; }

    /// <summary>Expired or flushed items whose memory was reclaimed.</summary>
    public long Reclaimed { get; init; }

    /// <summary>Expired items that were never read.</summary>
    public long ExpiredUnfetched { get; init; }

    /// <summary>Bytes of segments allocated so far (never above <see cref="LimitMaxBytes"/>).</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Bytes in segments occupied by items that were overwritten, deleted or expired.</summary>
    public long DeadBytes { get; init; }

    /// <summary>Segment size in bytes.</summary>
    public int SegmentSize { get; init; }

    /// <summary>Segments allocated.</summary>
    public int SegmentsAllocated { get; init; }

    /// <summary>Segments allocated and empty.</summary>
    public int SegmentsFree { get; init; }

    /// <summary>Segments sealed in the probation (new items) queue.</summary>
    public int ProbationSegments { get; init; }

    /// <summary>Segments sealed in the main (proven items) queue.</summary>
    public int MainSegments { get; init; }

    /// <summary>Live items that were moved from probation to main because they were read.</summary>
    public long Promotions { get; init; }

    /// <summary>Live items copied forward by eviction or compaction.</summary>
    public long ItemsMoved { get; init; }

    /// <summary>Segments freed by compaction rather than eviction.</summary>
    public long Compactions { get; init; }

    /// <summary>Bytes used by the hash index (outside the item memory bound, as memcached's hash table is).</summary>
    public long IndexBytes { get; init; }

    /// <summary>Completed background crawler passes.</summary>
    public long CrawlerRuns { get; init; }
}
