namespace CacheOperator.Replication;

/// <summary>Settings shared by the source and target sides of a node.</summary>
public sealed class ReplicationOptions
{
    /// <summary>The cluster token presented to sources (Authorization: Bearer); null only in insecure development mode.</summary>
    public string? ClusterToken { get; set; }

    public StreamSourceOptions Source { get; set; } = new();

    /// <summary>First wait before a broken pull starts over; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A source silent for this long (no frame, not even a heartbeat) is treated as gone.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
