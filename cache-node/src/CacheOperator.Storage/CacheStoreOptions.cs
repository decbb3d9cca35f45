namespace CacheOperator.Storage;

/// <summary>Sizing and behaviour of a <see cref="CacheStore"/>.</summary>
public sealed class CacheStoreOptions
{
    public const int DefaultMaxItemSize = 1024 * 1024;
    public const long DefaultMemoryLimit = 64L * 1024 * 1024;

    /// <summary>Bytes of item memory (memcached's -m); segments are allocated lazily up to this bound.</summary>
    public long MemoryLimitBytes { get; set; } = DefaultMemoryLimit;

    /// <summary>Largest item, header and key and value together (memcached's -I).</summary>
    public int MaxItemSize { get; set; } = DefaultMaxItemSize;

    /// <summary>Number of independently locked index partitions (rounded up to a power of two).</summary>
    public int Partitions { get; set; } = 64;

    /// <summary>How often the background crawler reclaims expired items and compacts sparse segments.</summary>
    public TimeSpan CrawlerInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Run the background crawler (tests turn it off and call <see cref="CacheStore.Crawl"/>).</summary>
    public bool EnableCrawler { get; set; } = true;

    /// <summary>The time source; tests pass one they can advance.</summary>
    public CacheClock Clock { get; set; } = new();

    /// <summary>Throws when the options cannot describe a working store.</summary>
    public void Validate()
    {
        if (MaxItemSize < 1024 || MaxItemSize > 128 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxItemSize), MaxItemSize, "max item size must be between 1 KiB and 128 MiB");
        if (MemoryLimitBytes < 4L * SegmentSizeFor(MaxItemSize))
            throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), MemoryLimitBytes,
                $"memory limit must hold at least 4 segments of {SegmentSizeFor(MaxItemSize)} bytes");
        if (Partitions < 1 || Partitions > 4096)
            throw new ArgumentOutOfRangeException(nameof(Partitions), Partitions, "partitions must be between 1 and 4096");
    }

    /// <summary>Segments are 1 MiB, or one max-size item when items may be larger.</summary>
    internal static int SegmentSizeFor(int maxItemSize) => Math.Max(1024 * 1024, maxItemSize);
}
