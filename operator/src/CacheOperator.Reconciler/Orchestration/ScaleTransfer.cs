namespace CacheOperator.Reconciler.Orchestration;

/// <summary>One moving bucket set and the warm-up stream that copies it, as persisted between reconciles.</summary>
public sealed class ScaleTransfer
{
    public string FromShard { get; set; } = "";

    public string ToShard { get; set; } = "";

    /// <summary>Inclusive ranges, "a-b,c": the node admin API's format.</summary>
    public string Buckets { get; set; } = "";

    public int BucketCount { get; set; }

    public string SourcePod { get; set; } = "";

    /// <summary>The source IP the stream was started from; a different IP now means the source was replaced.</summary>
    public string? SourceIP { get; set; }

    public string TargetPod { get; set; } = "";

    /// <summary>The pull's id on the target node; null until started (or after it was lost).</summary>
    public string? PullId { get; set; }

    public string? Phase { get; set; }

    public long Items { get; set; }

    public long Bytes { get; set; }

    public long LagItems { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public bool Dropped { get; set; }
}
