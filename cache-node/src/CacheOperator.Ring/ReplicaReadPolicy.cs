namespace CacheOperator.Ring;

/// <summary>How the router spreads reads over a shard's primary and replicas.</summary>
public enum ReplicaReadPolicy
{
    /// <summary>A uniformly random copy (<c>random</c>).</summary>
    Random,

    /// <summary>The copy with the fewest requests in flight (<c>least-outstanding</c>).</summary>
    LeastOutstanding,
}
