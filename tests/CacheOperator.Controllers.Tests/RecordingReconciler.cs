using System.Collections.Concurrent;

namespace CacheOperator.Controllers.Tests;

/// <summary>Records each reconcile (key and time) and answers with what the test says.</summary>
internal sealed class RecordingReconciler : IReconciler<Widget>
{
    private readonly ConcurrentQueue<(ObjectKey Key, DateTime At)> _calls = new();

    /// <summary>Decides each call's result; may throw to simulate a failing reconcile. Defaults to Done.</summary>
    public Func<ObjectKey, int, CancellationToken, Task<ReconcileResult>> Behaviour { get; set; } =
        (_, _, _) => Task.FromResult(ReconcileResult.Done);

    public IReadOnlyList<(ObjectKey Key, DateTime At)> Calls => [.. _calls];

    public int CountFor(string name) => _calls.Count(c => c.Key.Name == name);

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        _calls.Enqueue((key, DateTime.UtcNow));
        return Behaviour(key, CountFor(key.Name), ct);
    }
}
