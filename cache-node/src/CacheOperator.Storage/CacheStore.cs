using System.Buffers;

namespace CacheOperator.Storage;

/// <summary>
/// A memcached-semantics item store bounded by bytes. Items live in large pooled segments (no object per
/// item); a partitioned open-addressing index maps keys to them; eviction is S3-FIFO over segments.
/// Thread-safe; every public method is allocation-free in steady state.
/// </summary>
public sealed partial class CacheStore : IDisposable
{
    /// <summary>memcached's key length limit.</summary>
    public const int MaxKeyLength = 250;

    public CacheStore(CacheStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Clock = options.Clock;
        throw new NotImplementedException();
    }

    public CacheStoreOptions Options { get; }

    public CacheClock Clock { get; }

    /// <summary>Largest value that fits with a key of this length.</summary>
    public int MaxValueLength(int keyLength) => throw new NotImplementedException();

    /// <summary>Reads a live item; the reader sees it under the partition lock. Returns false on miss.</summary>
    public bool TryGet<TReader>(ReadOnlySpan<byte> key, in GetOptions options, ref TReader reader)
        where TReader : IItemReader, allows ref struct => throw new NotImplementedException();

    /// <summary>Stores a value given as one span.</summary>
    public StoreResult Store(ReadOnlySpan<byte> key, in StoreRequest request, ReadOnlySpan<byte> value, out ulong cas)
        => throw new NotImplementedException();

    /// <summary>Stores a value that may span several network buffers.</summary>
    public StoreResult Store(ReadOnlySpan<byte> key, in StoreRequest request, in ReadOnlySequence<byte> value, out ulong cas)
        => throw new NotImplementedException();

    public DeleteResult Delete(ReadOnlySpan<byte> key, in DeleteRequest request) => throw new NotImplementedException();

    /// <summary>Sets a new expiry; false on miss.</summary>
    public bool Touch(ReadOnlySpan<byte> key, long exptime) => throw new NotImplementedException();

    public ArithmeticResult Arithmetic(ReadOnlySpan<byte> key, in ArithmeticRequest request, out ArithmeticOutcome outcome)
        => throw new NotImplementedException();

    /// <summary>Invalidates every item now, or every item that exists when the delay has passed.</summary>
    public void FlushAll(long delaySeconds = 0) => throw new NotImplementedException();

    /// <summary>One pass of the crawler: reclaims expired items and compacts sparse segments.</summary>
    public void Crawl() => throw new NotImplementedException();

    public CacheStoreStats GetStats() => throw new NotImplementedException();

    public void Dispose() { }
}
