namespace CacheOperator.Ring;

/// <summary>Hot-key copies: above the threshold a key is read from one of <see cref="Copies"/> copies.</summary>
/// <param name="ThresholdPerSecond">Reads per second that make a key hot.</param>
/// <param name="Copies">Number of copies (<c>key#…</c>) on distinct shards.</param>
/// <param name="CopyTtlSeconds">TTL of a copy, so a missed update heals by itself.</param>
public sealed record HotKeySettings(int ThresholdPerSecond, int Copies, int CopyTtlSeconds)
{
    /// <summary>Defaults used when a document has no <c>hotKeys</c> section.</summary>
    public static HotKeySettings Default { get; } = new(1000, 3, 10);
}
