using System.Diagnostics;

namespace CacheOperator.Replication;

/// <summary>
/// A read-only stream that never delivers more than <c>bytesPerSecond</c> on average: a warm-up copying hundreds
/// of megabytes must not take the network or the source's CPU from the traffic it is meant to protect. Reads are
/// cut to a tenth of a second's worth, so the pace is smooth; <paramref name="pausing"/> is called through long
/// pauses, because a pause of ours is not a silent source.
/// </summary>
internal sealed class RateLimitedStream(Stream inner, long bytesPerSecond, Action pausing) : ReadOnlyWrapperStream(inner)
{
    private static readonly TimeSpan PauseSlice = TimeSpan.FromMilliseconds(500);

    private readonly int _chunk = (int)Math.Clamp(bytesPerSecond / 10, 1, 256 * 1024);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _delivered;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Wait until the bytes already delivered are within the cap, then read at most one chunk.
        while (Wait() is { } wait)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            pausing();
        }

        int read = await Inner.ReadAsync(buffer[..Math.Min(buffer.Length, _chunk)], cancellationToken).ConfigureAwait(false);
        _delivered += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (Wait() is { } wait)
        {
            Thread.Sleep(wait);
            pausing();
        }

        int read = Inner.Read(buffer, offset, Math.Min(count, _chunk));
        _delivered += read;
        return read;
    }

    /// <summary>How long to pause before the next read (at most one slice), or null when it may go now.</summary>
    private TimeSpan? Wait()
    {
        TimeSpan due = TimeSpan.FromSeconds((double)_delivered / bytesPerSecond);
        TimeSpan left = due - _clock.Elapsed;
        return left <= TimeSpan.Zero ? null : left < PauseSlice ? left : PauseSlice;
    }
}
