namespace CacheOperator.Replication;

/// <summary>A read-only stream that feeds an <see cref="IdleWatchdog"/> whenever bytes arrive.</summary>
internal sealed class WatchedStream(Stream inner, IdleWatchdog watchdog) : ReadOnlyWrapperStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        watchdog.Feed();
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = Inner.Read(buffer, offset, count);
        watchdog.Feed();
        return read;
    }
}
