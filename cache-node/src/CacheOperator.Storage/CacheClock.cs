using System.Diagnostics;

namespace CacheOperator.Storage;

/// <summary>
/// Unix time in whole seconds, read from a monotonic tick so a wall-clock jump does not expire the cache;
/// tests move it forward with <see cref="Advance"/> instead of sleeping.
/// </summary>
public class CacheClock
{
    /// <summary>Unix seconds at construction.</summary>
    private readonly long _startUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Monotonic timestamp at construction.</summary>
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Seconds added by <see cref="Advance"/>.</summary>
    private long _offsetSeconds;

    /// <summary>Current unix time in seconds.</summary>
    public uint UnixSeconds => (uint)(_startUnixSeconds + Volatile.Read(ref _offsetSeconds)
        + (Stopwatch.GetTimestamp() - _startTimestamp) / Stopwatch.Frequency);

    /// <summary>Moves this clock forward (tests only).</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetSeconds, (long)by.TotalSeconds);
}
