namespace CacheOperator.Ring.Json;

/// <summary>Hot-key settings in JSON.</summary>
internal sealed class HotKeysDto
{
    public int? ThresholdPerSecond { get; set; }

    public int? Copies { get; set; }

    public int? CopyTtlSeconds { get; set; }
}
