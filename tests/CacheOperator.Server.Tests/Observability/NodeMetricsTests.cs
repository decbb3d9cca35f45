using CacheOperator.Protocol;
using System.Diagnostics;
using CacheOperator.Server.Observability;

namespace CacheOperator.Server.Tests.Observability;

public sealed class NodeMetricsTests : IDisposable
{
    private readonly ObservabilityFixture _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void RecordCommand_CountsByCommandAndResult()
    {
        _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Hit);
        _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Hit);
        _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Miss);
        _node.Metrics.RecordCommand(CommandType.MetaSet, CommandResult.Stored);

        string text = _node.Scrape();

        Assert.Contains("cachenode_commands_total{command=\"get\",result=\"hit\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_commands_total{command=\"get\",result=\"miss\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_commands_total{command=\"ms\",result=\"stored\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectedResults_AreExposedAtZero_BeforeFirstUse()
    {
        string text = _node.Scrape();

        Assert.Contains("cachenode_commands_total{command=\"set\",result=\"stored\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_commands_total{command=\"cas\",result=\"exists\"} 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("command=\"version\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnexpectedPair_AppearsOnFirstUse_InTheSameFamily()
    {
        _node.Metrics.RecordCommand(CommandType.Version, CommandResult.Ok);
        _node.Metrics.RecordCommand(CommandType.Set, CommandResult.ClientError);

        string text = _node.Scrape();

        Assert.Contains("cachenode_commands_total{command=\"version\",result=\"ok\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_commands_total{command=\"set\",result=\"client_error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Single(AllIndexesOf(text, "# TYPE cachenode_commands_total counter"));
    }

    [Fact]
    public void RecordCommand_OutOfRangeEnum_IsIgnored()
    {
        string[] before = CommandSeries(_node.Scrape());
        _node.Metrics.RecordCommand((CommandType)250, CommandResult.Hit);
        _node.Metrics.RecordCommand(CommandType.Get, (CommandResult)11);
        _node.Metrics.RecordCommand(CommandType.Get, (CommandResult)(-1));
        _node.Metrics.RecordLatency((CommandType)250, Stopwatch.GetTimestamp());

        string text = _node.Scrape();
        Assert.Equal(before, CommandSeries(text));
        Assert.Contains("cachenode_commands_total{command=\"gets\",result=\"hit\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordLatency_ObservesIntoCommandHistogram()
    {
        _node.Metrics.RecordLatency(CommandType.Get, Stopwatch.GetTimestamp());
        _node.Metrics.RecordLatency(CommandType.Get, Stopwatch.GetTimestamp() - Stopwatch.Frequency * 2);

        string text = _node.Scrape();

        Assert.Contains("# TYPE cachenode_command_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_command_duration_seconds_bucket{command=\"get\",le=\"1e-05\"}", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_command_duration_seconds_bucket{command=\"get\",le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_command_duration_seconds_bucket{command=\"get\",le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("cachenode_command_duration_seconds_count{command=\"get\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Connections_TrackOpenTotalAndRejected()
    {
        _node.Metrics.ConnectionOpened();
        _node.Metrics.ConnectionOpened();
        _node.Metrics.ConnectionClosed();
        _node.Metrics.ConnectionRejected();

        string text = _node.Scrape();

        Assert.Equal(1, _node.Metrics.CurrentConnections);
        Assert.Contains("\ncachenode_connections 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_connections_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_connections_rejected_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_connections_limit 77\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_AreCountedBothWays()
    {
        _node.Metrics.AddBytesRead(100);
        _node.Metrics.AddBytesRead(23);
        _node.Metrics.AddBytesWritten(7);

        string text = _node.Scrape();

        Assert.Contains("\ncachenode_read_bytes_total 123\n", text, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_written_bytes_total 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreMetrics_AreReadFromTheStoreAtScrape()
    {
        string before = _node.Scrape();
        _node.Set("a", "1");
        _node.Set("b", "22");

        string after = _node.Scrape();

        Assert.Contains("\ncachenode_items 0\n", before, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_items 2\n", after, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_items_stored_total 2\n", after, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_memory_limit_bytes 6.7108864e+07\n", after, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_segments{queue=\"probation\"} 0\n", after, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_segments{queue=\"open\"} 1\n", after, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_evictions_total 0\n", after, StringComparison.Ordinal);
        Assert.DoesNotContain("\ncachenode_item_bytes 0\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessMetrics_AreExposed()
    {
        string text = _node.Scrape();

        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_start_time_seconds gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{generation=\"2\"} ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nprocess_resident_memory_bytes 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Recording_DoesNotAllocate()
    {
        // Rounds of 10,000: a per-recording allocation shows in every round, while the runtime's one-off work on
        // this thread (tier-up and OSR of the loop, which a busy machine can delay into any round) shows in one at
        // most. So the steady state is what is asserted: some round allocates nothing at all.
        var rounds = new List<long>();
        for (int round = 0; round < 5 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                long start = Stopwatch.GetTimestamp();
                _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Hit);
                _node.Metrics.RecordCommand(CommandType.Stats, CommandResult.Ok);
                _node.Metrics.AddBytesRead(10);
                _node.Metrics.AddBytesWritten(20);
                _node.Metrics.RecordLatency(CommandType.Get, start);
                _node.Metrics.RecordLatency(CommandType.Stats, start);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(rounds[^1] == 0, $"every round of 10,000 recordings allocated: {string.Join(", ", rounds)} bytes");
    }

    [Fact]
    public void ConcurrentRecording_CountsExactly()
    {
        const int threads = 4;
        const int perThread = 50_000;
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                for (int i = 0; i < perThread; i++)
                    _node.Metrics.RecordCommand(CommandType.Gets, CommandResult.Miss);
            });
            workers[t].Start();
        }
        foreach (Thread worker in workers)
            Assert.True(worker.Join(TimeSpan.FromSeconds(60)));

        Assert.Contains($"cachenode_commands_total{{command=\"gets\",result=\"miss\"}} {threads * perThread}\n",
            _node.Scrape(), StringComparison.Ordinal);
    }

    private static IEnumerable<int> AllIndexesOf(string text, string value)
    {
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            yield return at;
    }

    /// <summary>Every sample line of the command counters and latency histograms.</summary>
    private static string[] CommandSeries(string exposition)
        => exposition.Split('\n').Where(l => l.StartsWith("cachenode_command", StringComparison.Ordinal)).ToArray();
}
