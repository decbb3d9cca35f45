using System.Buffers;
using System.Text;
using CacheOperator.Metrics;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Tests.Observability;

/// <summary>A store, a registry, the node's metrics and its stats report, as the node wires them.</summary>
internal sealed class ObservabilityFixture : IDisposable
{
    public ObservabilityFixture()
    {
        Store = new CacheStore(new CacheStoreOptions { EnableCrawler = false });
        Metrics = new NodeMetrics(Registry, Store, Options);
        Stats = new StatsReport(Metrics, Store, Options);
    }

    public MetricsRegistry Registry { get; } = new();

    public NodeOptions Options { get; } = new() { Port = 0, MaxConnections = 77, Threads = 3 };

    public CacheStore Store { get; }

    public NodeMetrics Metrics { get; }

    public StatsReport Stats { get; }

    public void Set(string key, string value)
    {
        var request = new StoreRequest(StoreMode.Set, 0, 0);
        Assert.Equal(StoreResult.Stored, Store.Store(Encoding.ASCII.GetBytes(key), request, Encoding.ASCII.GetBytes(value), out _));
    }

    public string Scrape()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Registry.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The text of a stats group; fails the test when the group is unknown.</summary>
    public string StatsText(string group = "")
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(Stats.TryWrite(Encoding.ASCII.GetBytes(group), buffer));
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>The stats group as name/value pairs, in order.</summary>
    public List<KeyValuePair<string, string>> StatsLines(string group = "")
    {
        string text = StatsText(group);
        Assert.EndsWith("END\r\n", text, StringComparison.Ordinal);
        var lines = new List<KeyValuePair<string, string>>();
        foreach (string line in text[..^"END\r\n".Length].Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            Assert.Equal(3, parts.Length);
            Assert.Equal("STAT", parts[0]);
            lines.Add(new(parts[1], parts[2]));
        }
        return lines;
    }

    public long Stat(string name, string group = "")
        => long.Parse(StatsLines(group).Single(p => p.Key == name).Value, System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Store.Dispose();
}
