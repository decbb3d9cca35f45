namespace CacheOperator.Ring.Json;

/// <summary>Heartbeat settings in JSON.</summary>
internal sealed class HeartbeatDto
{
    public int? IntervalMs { get; set; }

    public int? TimeoutMs { get; set; }

    public int? FailuresBeforeDown { get; set; }
}
