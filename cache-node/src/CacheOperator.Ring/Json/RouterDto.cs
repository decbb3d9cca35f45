namespace CacheOperator.Ring.Json;

/// <summary>Router settings in JSON; policies are strings so that a bad one gets a precise error.</summary>
internal sealed class RouterDto
{
    public string? ReplicaReadPolicy { get; set; }

    public string? WritePolicy { get; set; }

    public HotKeysDto? HotKeys { get; set; }

    public HeartbeatDto? Heartbeat { get; set; }
}
