using System.Text;

namespace CacheOperator.Server.Tests;

/// <summary>The hot path allocates nothing once warm: requests are parsed in place, replies written in place.</summary>
public class AllocationTests
{
    [Fact]
    public async Task SteadyState_TextAndMetaCommands_AllocateNothing()
    {
        await using var session = new SessionHarness();
        var batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"set key{i} 0 0 5\r\nhello\r\nget key{i} other\r\ngets key{i}\r\nmg key{i} v c t f\r\nms m{i} 2 T0\r\nhi\r\nincr n{i} 1\r\ndelete d{i}\r\n")));
        // Until the session first waits for input it runs on its own thread: wait until it has answered once.
        var noop = "mn\r\n"u8.ToArray();
        for (var attempt = 0; attempt < 100 && session.DrainAvailable() == 0; attempt++)
        {
            Assert.True(session.TrySendSynchronously(noop));
            Thread.Sleep(20);
        }

        Thread.Sleep(50);
        session.DrainAvailable();

        for (var warm = 0; warm < 5; warm++)
        {
            Assert.True(session.TrySendSynchronously(batch));
            Assert.True(session.DrainAvailable() > 0);
        }

        // The pipes run the session inline, so its work is counted on this thread.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sent = session.TrySendSynchronously(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sent);
        // Every reply was written during the send (CAS values grow, so only their presence is checked).
        Assert.True(session.DrainAvailable() > 4000);
        Assert.Equal(0, allocated);
    }
}
