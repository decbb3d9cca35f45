using System.Collections.Concurrent;
using System.Globalization;
using CacheOperator.Reconciler.Orchestration;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>Nodes' replication APIs in memory: pulls per target, caught up when the test says so.</summary>
internal sealed class FakeNodeAdmin : INodeAdmin
{
    private int _next;

    public ConcurrentDictionary<string, List<(string Id, string Source, string Buckets)>> Pulls { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Target, string Id)> Stops { get; } = new();

    public ConcurrentQueue<(string Source, string Buckets)> Drops { get; } = new();

    /// <summary>Streams report Tailing with no lag once true; before, Snapshot with a lag.</summary>
    public bool CaughtUp { get; set; }

    public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

    /// <summary>Pull ids whose stream gave up (reported as Stopped).</summary>
    public ConcurrentDictionary<string, bool> GaveUp { get; } = new(StringComparer.Ordinal);

    /// <summary>The rate cap of every pull started, by pull id.</summary>
    public ConcurrentDictionary<string, long?> Caps { get; } = new(StringComparer.Ordinal);

    public Task<string?> StartPullAsync(string targetIP, string sourceIP, string buckets, int bucketCount, string token,
        long? bytesPerSecond, CancellationToken ct)
    {
        if (Down.ContainsKey(targetIP))
            return Task.FromResult<string?>(null);
        string id = "pull-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var list = Pulls.GetOrAdd(targetIP, _ => []);
        lock (list)
            list.Add((id, sourceIP, buckets));
        Caps[id] = bytesPerSecond;
        return Task.FromResult<string?>(id);
    }

    public Task<IReadOnlyList<NodeStream>?> GetStreamsAsync(string podIP, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(podIP))
            return Task.FromResult<IReadOnlyList<NodeStream>?>(null);
        var list = Pulls.GetOrAdd(podIP, _ => []);
        lock (list)
        {
            return Task.FromResult<IReadOnlyList<NodeStream>?>([.. list.Select(p => new NodeStream(
                p.Id, "target", p.Buckets, GaveUp.ContainsKey(p.Id) ? "Stopped" : CaughtUp ? "Tailing" : "Snapshot", 100, 1000, CaughtUp ? 0 : 5000))]);
        }
    }

    public Task<bool> StopPullAsync(string targetIP, string pullId, string token, CancellationToken ct)
    {
        Stops.Enqueue((targetIP, pullId));
        if (Pulls.TryGetValue(targetIP, out var list))
        {
            lock (list)
                list.RemoveAll(p => p.Id == pullId);
        }

        return Task.FromResult(true);
    }

    public Task<bool> DropAsync(string sourceIP, string buckets, int bucketCount, string token, CancellationToken ct)
    {
        Drops.Enqueue((sourceIP, buckets));
        return Task.FromResult(!Down.ContainsKey(sourceIP));
    }
}
