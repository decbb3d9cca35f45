namespace CacheOperator.Controllers;

/// <summary>
/// Delays that double from <see cref="Initial"/> up to <see cref="Max"/>, each stretched by a random jitter
/// (up to <see cref="Jitter"/> times itself, as client-go's wait.Jitter). The sequence starts over when the last
/// failure is older than <see cref="ResetAfter"/>, so a long healthy stretch forgets old trouble. Not thread-safe:
/// one owner (an informer's loop).
/// </summary>
public sealed class ExponentialBackoff(TimeSpan initial, TimeSpan max, double jitter = 1.0, TimeSpan? resetAfter = null,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private TimeSpan _next = initial;
    private DateTimeOffset? _lastFailure;

    public TimeSpan Initial { get; } = initial;
    public TimeSpan Max { get; } = max;
    public double Jitter { get; } = jitter;
    public TimeSpan ResetAfter { get; } = resetAfter ?? TimeSpan.FromMinutes(2);

    /// <summary>The delay before the next attempt after a failure now.</summary>
    public TimeSpan Next()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_lastFailure is DateTimeOffset last && now - last > ResetAfter)
            _next = Initial;
        _lastFailure = now;
        TimeSpan delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(Max.Ticks, _next.Ticks * 2));
        if (Jitter > 0)
            delay += TimeSpan.FromTicks((long)(delay.Ticks * Jitter * Random.Shared.NextDouble()));
        return delay > Max ? Max : delay;
    }

    public void Reset()
    {
        _next = Initial;
        _lastFailure = null;
    }
}
