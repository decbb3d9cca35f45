using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Storage;

namespace CacheOperator.Replication.Tests;

/// <summary>
/// A replica pull through <see cref="ReplicationManager"/> from a source served over HTTP on 127.0.0.1. A replica in
/// sync whose source dies is the shard's surviving copy: it must hold what it has, not start over from whatever
/// answers at the source's address next (a restarted, empty primary).
/// </summary>
public sealed class ReplicaPullTests
{
    private const int Keys = 2000;

    [Fact]
    public async Task ReplicaInSync_WhoseSourceDies_IsHeld_KeepsItsData_AndDoesNotCopyTheRestartedEmptySource()
    {
        using CacheStore primary = NewStore();
        using CacheStore restartedPrimary = NewStore();
        using CacheStore replica = NewStore();
        for (int i = 0; i < Keys; i++)
            primary.Store(Key(i), new StoreRequest(StoreMode.Set, 0, 0), Encoding.ASCII.GetBytes($"v{i}"), out _);

        int port = FreePort();
        await using var manager = new ReplicationManager(replica, new ReplicationOptions { MinRetryDelay = TimeSpan.FromMilliseconds(20) });
        StreamProgress pull;
        await using (var source = SourceServer.Start(primary, port))
        {
            pull = manager.StartPull(new Uri($"http://127.0.0.1:{port}/"), BucketSet.All(), PullMode.Replica);
            await WaitUntil(() => pull.Phase == StreamPhase.Tailing && replica.GetStats().CurrentItems == Keys, TimeSpan.FromSeconds(20));
        }

        // The "primary" died; an empty one answers at the same address at once, as a restarted container would.
        await using var restarted = SourceServer.Start(restartedPrimary, port);
        await WaitUntil(() => pull.Phase == StreamPhase.Held, TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        Assert.Equal(StreamPhase.Held, pull.Phase);
        Assert.Equal(0, restarted.Requests);
        Assert.Equal(Keys, replica.GetStats().CurrentItems);
        Assert.True(manager.IsReadOnlyReplica, "a held replica must stay read-only until it is promoted");
        Assert.False(string.IsNullOrEmpty(pull.LastError));

        // Promotion still ends it.
        Assert.Equal(1, await manager.PromoteAsync());
        Assert.False(manager.IsReadOnlyReplica);
    }

    [Fact]
    public async Task WarmUpPull_WhoseSourceDies_StillStartsOverFromTheNextSource()
    {
        using CacheStore first = NewStore();
        using CacheStore second = NewStore();
        using CacheStore target = NewStore();
        first.Store(Key(1), new StoreRequest(StoreMode.Set, 0, 0), "old"u8, out _);
        second.Store(Key(2), new StoreRequest(StoreMode.Set, 0, 0), "new"u8, out _);

        int port = FreePort();
        await using var manager = new ReplicationManager(target, new ReplicationOptions { MinRetryDelay = TimeSpan.FromMilliseconds(20) });
        StreamProgress pull;
        await using (var source = SourceServer.Start(first, port))
        {
            pull = manager.StartPull(new Uri($"http://127.0.0.1:{port}/"), BucketSet.All(), PullMode.WarmUp);
            await WaitUntil(() => pull.Phase == StreamPhase.Tailing, TimeSpan.FromSeconds(20));
        }

        await using var next = SourceServer.Start(second, port);
        await WaitUntil(() => pull.Phase == StreamPhase.Tailing && pull.Restarts >= 1 && target.GetStats().CurrentItems == 1, TimeSpan.FromSeconds(20));
        Assert.True(next.Requests >= 1);
    }

    private static CacheStore NewStore() => new(new CacheStoreOptions { MemoryLimitBytes = 64L << 20, EnableCrawler = false });

    private static byte[] Key(int i) => Encoding.ASCII.GetBytes($"key:{i}");

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(20);
        }
    }

    /// <summary>GET /replication/stream served from a store; disposing it cuts every open stream, like a killed node.</summary>
    private sealed class SourceServer : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _serving = [];
        private readonly ReplicationManager _manager;
        private readonly Task _accepting;
        private int _requests;

        private SourceServer(CacheStore store, int port)
        {
            _manager = new ReplicationManager(store, new ReplicationOptions());
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Requests => Volatile.Read(ref _requests);

        public static SourceServer Start(CacheStore store, int port) => new(store, port);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Abort();
            try
            {
                await _accepting;
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }

            await Task.WhenAll(_serving);
            await _manager.DisposeAsync();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                _serving.Add(ServeAsync(context));
            }
        }

        private async Task ServeAsync(HttpListenerContext context)
        {
            try
            {
                var query = context.Request.QueryString;
                var buckets = BucketSet.Parse(query["buckets"] ?? "", int.Parse(query["bucketCount"] ?? "16384", System.Globalization.CultureInfo.InvariantCulture));
                context.Response.SendChunked = true;
                var writer = PipeWriter.Create(context.Response.OutputStream);
                await _manager.ServeAsync(buckets, "test", writer, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
            {
            }
            finally
            {
                context.Response.Abort();
            }
        }
    }
}
