using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using CacheOperator.Hashing;
using CacheOperator.Storage;

namespace CacheOperator.Replication.Tests;

/// <summary>
/// A source and a target store joined by an in-memory pipe, with clients writing to the source throughout.
/// These are the warm-up invariants of the design, each in a test that fails if the mechanism is wrong.
/// </summary>
public sealed class BucketStreamTests
{
    private const int KeySpace = 20_000;
    private static readonly BucketSet Buckets = BucketSet.Parse("0-4095,10000-12000", 16384);

    [Fact]
    public async Task Stream_UnderConcurrentWrites_ConvergesToSourceExactly_AndNothingForeignCrosses()
    {
        using CacheStore source = NewStore();
        using CacheStore target = NewStore();
        Preload(source);
        ConcurrentDictionary<string, long> acknowledgedDeletes = new();

        using CancellationTokenSource streams = new(TimeSpan.FromSeconds(60));
        Pipe pipe = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        // Two unthrottled writers can log faster than an in-process target applies on a slow machine; the log
        // gets room for the whole load here, because this test is about convergence (overflow has its own).
        StreamSource sender = new(source, Buckets, new StreamProgress("s", "source", "target", Buckets),
            new StreamSourceOptions { LogBudgetBytes = 2L << 30 });
        StreamTarget receiver = new(target, Buckets, new StreamProgress("t", "target", "source", Buckets));
        Task sending = sender.RunAsync(pipe.Writer, streams.Token);
        Task<StreamEnd> receiving = receiver.RunAsync(pipe.Reader, streams.Token);

        using (CancellationTokenSource load = new(TimeSpan.FromSeconds(2)))
            await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(() => Mutate(source, w, acknowledgedDeletes, load.Token))));

        await WaitUntil(() => receiver.Progress.Phase == StreamPhase.Tailing && receiver.Progress.LagEntries == 0
            && receiver.Progress.SourceSequence > 0 && sender.Progress.PendingLogBytes == 0, TimeSpan.FromSeconds(20));
        await Task.Delay(1200);
        await WaitUntil(() => receiver.Progress.LagEntries == 0, TimeSpan.FromSeconds(10));

        int compared = 0;
        for (int i = 0; i < KeySpace; i++)
        {
            byte[] key = Key(i);
            Item? expected = Read(source, key);
            Item? actual = Read(target, key);
            if (!Buckets.Selects(KeyHasher.Hash(key)))
            {
                Assert.Null(actual);
                continue;
            }

            Assert.Equal(expected?.Value, actual?.Value);
            Assert.Equal(expected?.Flags, actual?.Flags);
            if (expected is not null)
                Assert.InRange(actual!.TimeToLive - expected.TimeToLive, -1, 1);
            compared++;
        }

        // A delete acknowledged during the stream is never undone on the target.
        foreach (string deleted in acknowledgedDeletes.Keys)
        {
            if (Read(source, Encoding.ASCII.GetBytes(deleted)) is null)
                Assert.Null(Read(target, Encoding.ASCII.GetBytes(deleted)));
        }

        Assert.True(compared > 3000, $"compared {compared}");
        Assert.True(acknowledgedDeletes.Count > 100);
        Assert.True(receiver.Progress.LogEntries > 1000, $"log entries {receiver.Progress.LogEntries}");
        Assert.Equal(0, receiver.Progress.Restarts);

        await streams.CancelAsync();
        await sending;
        Assert.Equal(StreamEnd.Stopped, await receiving);
    }

    [Fact]
    public async Task SlowTarget_MakesTheSourceRestartTheStream_WithItsLogMemoryBounded()
    {
        using CacheStore source = NewStore();
        Preload(source);
        const long budget = 256 * 1024;
        // A tiny pipe that nobody reads: the snapshot stalls, and writes pile up in the log.
        Pipe pipe = new(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        StreamSource sender = new(source, Buckets, new StreamProgress("s", "source", "target", Buckets),
            new StreamSourceOptions { LogBudgetBytes = budget, FlushThresholdBytes = 16 * 1024 });
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(30));
        Task sending = sender.RunAsync(pipe.Writer, stop.Token);

        long maxPending = 0;
        for (int i = 0; i < 200_000 && sender.Progress.Overflows == 0; i++)
        {
            source.Store(Key(i % KeySpace), new StoreRequest(StoreMode.Set, 0, 0), new byte[100], out _);
            maxPending = Math.Max(maxPending, sender.Progress.PendingLogBytes);
        }

        // Client writes were never blocked by the stalled stream: the loop above ran on to the overflow,
        // and the source ends the stream by itself, without anyone reading the pipe.
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, sender.Progress.Overflows);
        Assert.True(maxPending <= budget, $"log held {maxPending} bytes with a budget of {budget}");
        Assert.Equal(StreamPhase.Stopped, sender.Progress.Phase);
    }

    [Fact]
    public async Task RestartedAttempt_DropsWhatItHeld_SoADeleteMadeWhileDownIsNotResurrected()
    {
        using CacheStore source = NewStore();
        using CacheStore target = NewStore();
        Preload(source);
        byte[] victim = Enumerable.Range(0, KeySpace).Select(Key).First(k => Buckets.Selects(KeyHasher.Hash(k)));

        await RunUntilTailing(source, target);
        Assert.NotNull(Read(target, victim));

        // The stream is down while the source deletes the key; the next attempt must not keep the old copy.
        source.Delete(victim, default);
        await RunUntilTailing(source, target);
        Assert.Null(Read(target, victim));
    }

    private static async Task RunUntilTailing(CacheStore source, CacheStore target)
    {
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(30));
        Pipe pipe = new();
        StreamSource sender = new(source, Buckets, new StreamProgress("s", "source", "t", Buckets));
        StreamTarget receiver = new(target, Buckets, new StreamProgress("t", "target", "s", Buckets));
        Task sending = sender.RunAsync(pipe.Writer, stop.Token);
        Task<StreamEnd> receiving = receiver.RunAsync(pipe.Reader, stop.Token);
        await WaitUntil(() => receiver.Progress.Phase == StreamPhase.Tailing, TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await sending;
        await receiving;
    }

    private static CacheStore NewStore() => new(new CacheStoreOptions { MemoryLimitBytes = 64L << 20, EnableCrawler = false });

    private static byte[] Key(int i) => Encoding.ASCII.GetBytes($"key:{i}");

    private static void Preload(CacheStore store)
    {
        for (int i = 0; i < KeySpace; i++)
            store.Store(Key(i), new StoreRequest(StoreMode.Set, (uint)i, i % 4 == 0 ? 3600 : 0), Encoding.ASCII.GetBytes($"value-{i}"), out _);
    }

    private static void Mutate(CacheStore store, int worker, ConcurrentDictionary<string, long> deletes, CancellationToken stop)
    {
        Random random = new(worker);
        for (int i = 0; i < 3_000_000 && !stop.IsCancellationRequested; i++)
        {
            int k = random.Next(KeySpace);
            byte[] key = Key(k);
            switch (random.Next(8))
            {
                case 0:
                case 1:
                case 2:
                    store.Store(key, new StoreRequest(StoreMode.Set, (uint)(i + k), random.Next(4) == 0 ? 900 : 0), Encoding.ASCII.GetBytes($"w{worker}:{i}"), out _);
                    break;
                case 3:
                    if (store.Delete(key, default) == DeleteResult.Deleted)
                        deletes[$"key:{k}"] = i;
                    break;
                case 4:
                    store.Touch(key, 1800);
                    break;
                case 5:
                    store.Store(key, new StoreRequest(StoreMode.Set, 0, 0), "7"u8, out _);
                    break;
                case 6:
                    store.Arithmetic(key, new ArithmeticRequest(true, 5), out _);
                    break;
                default:
                    store.Store(key, new StoreRequest(StoreMode.Append, 0, 0), "+"u8, out _);
                    break;
            }
        }
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

    private sealed record Item(string Value, uint Flags, long TimeToLive);

    private static Item? Read(CacheStore store, byte[] key)
    {
        Reader reader = default;
        return store.TryGet(key, new GetOptions { NoBump = true }, ref reader) ? reader.Item : null;
    }

    private struct Reader : IItemReader
    {
        public Item? Item;

        public void Read(in ItemView item) => Item = new Item(Encoding.ASCII.GetString(item.Value), item.Flags, item.TimeToLive);
    }
}
