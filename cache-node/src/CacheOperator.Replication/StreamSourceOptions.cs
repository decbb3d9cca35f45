namespace CacheOperator.Replication;

/// <summary>Tuning of the sending side.</summary>
public sealed class StreamSourceOptions
{
    /// <summary>Most bytes of log held for one stream before it starts over (memory bound per stream).</summary>
    public long LogBudgetBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Bytes buffered before a flush to the network.</summary>
    public int FlushThresholdBytes { get; set; } = 256 * 1024;

    /// <summary>How often an idle stream tells the target it is alive and how far the log has gone.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);
}
