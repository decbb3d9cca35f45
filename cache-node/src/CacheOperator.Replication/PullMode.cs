namespace CacheOperator.Replication;

/// <summary>Why a node pulls a stream.</summary>
public enum PullMode
{
    /// <summary>Warm-up of buckets this node is about to own (scale-out, scale-in, standby promotion).</summary>
    WarmUp,
    /// <summary>Asynchronous replica of a whole shard: never ends, and the node refuses client writes until promoted.</summary>
    Replica,
}
