using System.Net;
using System.Net.Sockets;
using System.Reflection;
using CacheOperator.Metrics;
using CacheOperator.Ring;
using CacheOperator.Router.Backends;
using CacheOperator.Router.Observability;
using CacheOperator.Server.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Router.Tests.Unit;

/// <summary>
/// A backend marked down on an epoll loop closes that loop's connections there and then, failing their requests in
/// flight. What those failures resume (a multi-get's relay, then its client's session, which may take other
/// backends' locks) must not run inside the backend's own lock: two loops doing that to each other's backends
/// would wait for each other for good.
/// </summary>
public sealed class LoopBackendCloseTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A backend that accepts and never answers, so requests stay in flight.</summary>
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly EpollLoop _loop = new(NullLogger.Instance);

    public LoopBackendCloseTests() => _silent.Start();

    [Fact]
    public async Task StreamedReplyFailedByMarkDownOnItsLoop_ResumesItsConsumerOutsideTheBackendsLock()
    {
        var port = ((IPEndPoint)_silent.LocalEndpoint).Port;
        using var backend = new Backend(new NodeAddress("127.0.0.1", port), "main",
            new BackendMetrics(new MetricsRegistry(), "main", $"127.0.0.1:{port}"), () => new HeartbeatSettings(60_000, 60_000, 3),
            connections: 2, deleteLimit: 10, NullLogger.Instance);
        var slotLock = (Lock)typeof(Backend).GetField("_slotLock", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(backend)!;
        var resumed = new TaskCompletionSource<(bool UnderLock, PooledBuffer? Taken)>(TaskCreationOptions.RunContinuationsAsynchronously);

        _loop.Post(() =>
        {
            // Two streamed gets on this loop's two connections to the backend; the consumer waits for the first.
            var first = backend.SendStreamed("get a b\r\n"u8, affinity: 0);
            _ = backend.SendStreamed("get c d\r\n"u8, affinity: 1);
            _ = ConsumeAsync(first, slotLock, resumed);
            backend.MarkDown("test");
        });

        var (underLock, taken) = await resumed.Task.WaitAsync(Deadline);
        Assert.Null(taken);
        Assert.False(underLock, "the consumer ran inside Backend._slotLock");
    }

    public void Dispose()
    {
        _loop.Dispose();
        _silent.Stop();
    }

    private static async Task ConsumeAsync(PendingReply reply, Lock slotLock, TaskCompletionSource<(bool, PooledBuffer?)> resumed)
    {
        var taken = await reply.TakeAsync().ConfigureAwait(false);
        resumed.SetResult((slotLock.IsHeldByCurrentThread, taken));
    }
}
