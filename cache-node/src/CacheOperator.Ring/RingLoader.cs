namespace CacheOperator.Ring;

/// <summary>
/// Holds the ring a router serves. A new document replaces it atomically only when it is valid and newer; an
/// invalid or older one leaves the last good ring in place. Safe to call from several threads: the mounted
/// ConfigMap and the operator's push may deliver versions concurrently and in any order.
/// </summary>
public sealed class RingLoader
{
    /// <summary>The ring in use; replaced by compare-and-swap so that a newer ring is never overwritten by an older.</summary>
    private CacheRing? _current;

    /// <summary>Creates a loader, optionally with a ring already in use.</summary>
    public RingLoader(CacheRing? initial = null) => _current = initial;

    /// <summary>The ring in use, or null before the first valid document.</summary>
    public CacheRing? Current => Volatile.Read(ref _current);

    /// <summary>Version in use, 0 before the first valid document.</summary>
    public long CurrentVersion => Current?.Version ?? 0;

    /// <summary>Parses a document and applies it if it is valid and newer.</summary>
    public RingLoadResult TryLoad(ReadOnlySpan<byte> utf8Json)
    {
        if (!RingDocument.TryParse(utf8Json, out var ring, out var error))
            return new RingLoadResult(RingLoadStatus.Invalid, CurrentVersion, error!.Message);
        return TryApply(ring!);
    }

    /// <summary>Applies a ring if it is newer than the one in use.</summary>
    public RingLoadResult TryApply(CacheRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && ring.Version < current.Version)
                return new RingLoadResult(RingLoadStatus.Stale, current.Version, $"version {ring.Version} is older than version {current.Version} in use");
            if (current is not null && ring.Version == current.Version)
                return new RingLoadResult(RingLoadStatus.Unchanged, current.Version, null);
            if (Interlocked.CompareExchange(ref _current, ring, current) == current)
                return new RingLoadResult(RingLoadStatus.Applied, ring.Version, null);
        }
    }
}
