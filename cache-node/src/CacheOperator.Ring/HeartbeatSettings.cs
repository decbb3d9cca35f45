namespace CacheOperator.Ring;

/// <summary>Router heartbeats to every node.</summary>
/// <param name="IntervalMs">Time between heartbeats to one node.</param>
/// <param name="TimeoutMs">A heartbeat unanswered this long is a soft failure.</param>
/// <param name="FailuresBeforeDown">Soft failures in a row that mark a node down (a hard error does at once).</param>
public sealed record HeartbeatSettings(int IntervalMs, int TimeoutMs, int FailuresBeforeDown)
{
    /// <summary>Defaults used when a document has no <c>heartbeat</c> section.</summary>
    public static HeartbeatSettings Default { get; } = new(1000, 500, 3);
}
