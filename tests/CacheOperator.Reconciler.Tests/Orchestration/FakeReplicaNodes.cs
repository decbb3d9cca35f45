using System.Collections.Concurrent;
using System.Globalization;
using CacheOperator.Reconciler.Orchestration;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// Nodes' replica pulls, promotion and emptying in memory. A started pull reports <see cref="NewPullPhase"/>; tests
/// move pulls to other phases (a broken stream, Held) themselves.
/// </summary>
internal sealed class FakeReplicaNodes : IReplicaNodeAdmin, IFailoverNodeAdmin
{
    private int _next;

    /// <summary>Replica pulls by the replica's IP.</summary>
    public ConcurrentDictionary<string, List<ReplicaPull>> Pulls { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Replica, string Id)> Stops { get; } = new();

    public ConcurrentQueue<(string Replica, string Primary)> Starts { get; } = new();

    public ConcurrentQueue<string> Promoted { get; } = new();

    public ConcurrentQueue<string> Emptied { get; } = new();

    /// <summary>IPs whose admin API does not answer.</summary>
    public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

    /// <summary>IPs whose /healthz probe fails (a frozen node whose pod still says Ready); Down ones fail it too.</summary>
    public ConcurrentDictionary<string, bool> Frozen { get; } = new(StringComparer.Ordinal);

    /// <summary>Every probe made, by IP, in order.</summary>
    public ConcurrentQueue<string> Probes { get; } = new();

    public string NewPullPhase { get; set; } = ReplicaPhases.Tailing;

    /// <summary>The node clock a pull's StartedAt is read from.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public Task<IReadOnlyList<ReplicaPull>?> GetReplicaPullsAsync(string podIP, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(podIP))
            return Task.FromResult<IReadOnlyList<ReplicaPull>?>(null);
        var list = Pulls.GetOrAdd(podIP, _ => []);
        lock (list)
            return Task.FromResult<IReadOnlyList<ReplicaPull>?>([.. list]);
    }

    public Task<string?> StartReplicaPullAsync(string replicaIP, string primaryIP, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(replicaIP))
            return Task.FromResult<string?>(null);
        string id = "pull-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var list = Pulls.GetOrAdd(replicaIP, _ => []);
        lock (list)
            list.Add(new ReplicaPull(id, primaryIP, NewPullPhase, 100, NewPullPhase == ReplicaPhases.Tailing ? 0 : 500, Clock(), null));
        Starts.Enqueue((replicaIP, primaryIP));
        return Task.FromResult<string?>(id);
    }

    public Task<bool> StopPullAsync(string targetIP, string pullId, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(targetIP))
            return Task.FromResult(false);
        Stops.Enqueue((targetIP, pullId));
        if (Pulls.TryGetValue(targetIP, out var list))
        {
            lock (list)
                list.RemoveAll(p => p.Id == pullId);
        }

        return Task.FromResult(true);
    }

    public Task<bool> ProbeAsync(string podIP, string token, CancellationToken ct)
    {
        Probes.Enqueue(podIP);
        return Task.FromResult(!Down.ContainsKey(podIP) && !Frozen.ContainsKey(podIP));
    }

    public Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(podIP))
            return Task.FromResult(false);
        Promoted.Enqueue(podIP);
        if (Pulls.TryGetValue(podIP, out var list))
        {
            lock (list)
                list.Clear();
        }

        return Task.FromResult(true);
    }

    public Task<bool> EmptyAsync(string podIP, string token, CancellationToken ct)
    {
        if (Down.ContainsKey(podIP))
            return Task.FromResult(false);
        Emptied.Enqueue(podIP);
        return Task.FromResult(true);
    }

    /// <summary>Every pull on the replica now reports this phase and lag (a stream that broke, fell behind, ...).</summary>
    public void Set(string replicaIP, string phase, long lag = 0, string? error = null)
    {
        var list = Pulls.GetOrAdd(replicaIP, _ => []);
        lock (list)
        {
            for (int i = 0; i < list.Count; i++)
                list[i] = list[i] with { Phase = phase, LagEntries = lag, LastError = error };
        }
    }

    public IReadOnlyList<ReplicaPull> On(string replicaIP)
    {
        var list = Pulls.GetOrAdd(replicaIP, _ => []);
        lock (list)
            return [.. list];
    }
}
