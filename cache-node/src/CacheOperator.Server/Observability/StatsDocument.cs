namespace CacheOperator.Server.Observability;

/// <summary>The admin /stats JSON: each memcached stats group as an object of the same names and values.</summary>
public sealed class StatsDocument
{
    /// <summary>What "stats" prints.</summary>
    public Dictionary<string, object> General { get; } = [];

    /// <summary>What "stats settings" prints.</summary>
    public Dictionary<string, object> Settings { get; } = [];

    /// <summary>What "stats items" prints.</summary>
    public Dictionary<string, object> Items { get; } = [];

    /// <summary>What "stats slabs" prints.</summary>
    public Dictionary<string, object> Slabs { get; } = [];

    /// <summary>"stats engine": the segment store's own figures.</summary>
    public Dictionary<string, object> Engine { get; } = [];
}
