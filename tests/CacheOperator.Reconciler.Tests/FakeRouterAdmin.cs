using System.Collections.Concurrent;
using CacheOperator.Reconciler.Reconcile;

namespace CacheOperator.Reconciler.Tests;

/// <summary>Routers in a dictionary: each IP serves the last ring pushed to it (or none).</summary>
internal sealed class FakeRouterAdmin : IRouterAdmin
{
    public ConcurrentDictionary<string, long> Served { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string IP, string Token)> Pushes { get; } = new();

    /// <summary>IPs that answer nothing, as a router whose admin port is unreachable.</summary>
    public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

    public Task<long?> GetRingVersionAsync(string podIP, CancellationToken ct) =>
        Task.FromResult<long?>(Down.ContainsKey(podIP) ? null : Served.TryGetValue(podIP, out long v) ? v : 0);

    public Task<bool> PushRingAsync(string podIP, string ringJson, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(podIP))
            return Task.FromResult(false);
        Pushes.Enqueue((podIP, token));
        Served[podIP] = CacheOperator.Ring.RingDocument.Parse(ringJson).Version;
        return Task.FromResult(true);
    }
}
