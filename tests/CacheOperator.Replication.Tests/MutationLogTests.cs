using CacheOperator.Storage;

namespace CacheOperator.Replication.Tests;

public sealed class MutationLogTests
{
    /// <summary>
    /// An overflow cancels the stream's token on the thread pool. A stream that ends at the same moment
    /// disposes the log first; the late cancel must do nothing (before, it threw on a pool thread and the
    /// unhandled exception ended the whole node).
    /// </summary>
    [Fact]
    public async Task OverflowRacingDispose_NeverThrowsOnThePool()
    {
        byte[] key = "k"u8.ToArray();
        byte[] value = new byte[256];
        for (int i = 0; i < 500; i++)
        {
            MutationLog log = new(BucketSet.All(), budgetBytes: 64);
            ItemView item = new(key, value, 0, 1, 0, 0, 0, false, LeaseFlags.None);
            log.OnStored(0, in item);
            Assert.True(log.Overflowed);
            log.Dispose();
        }

        // Let every queued cancel run: an exception on a pool thread would crash this test host.
        await Task.Delay(500);
    }

    [Fact]
    public void Overflow_CancelsTheToken_AndStopsRecording()
    {
        using MutationLog log = new(BucketSet.All(), budgetBytes: 1024);
        byte[] value = new byte[100];
        for (int i = 0; i < 100; i++)
        {
            ItemView item = new("key"u8, value, 0, 1, 0, 0, 0, false, LeaseFlags.None);
            log.OnStored(0, in item);
        }

        Assert.True(log.Overflowed);
        Assert.True(log.PendingBytes <= 1024);
        Assert.True(log.OverflowToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
    }
}
