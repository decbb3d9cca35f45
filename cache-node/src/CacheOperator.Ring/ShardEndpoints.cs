namespace CacheOperator.Ring;

/// <summary>The pods currently serving one shard: a primary and zero or more replicas.</summary>
public sealed class ShardEndpoints
{
    /// <summary>Creates the endpoints of a shard.</summary>
    public ShardEndpoints(string id, NodeAddress primary, IReadOnlyList<NodeAddress>? replicas = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Primary = primary;
        Replicas = replicas is null ? [] : [.. replicas];
    }

    /// <summary>Logical shard id (<c>shard-0</c>…), the key of the bucket table.</summary>
    public string Id { get; }

    /// <summary>The pod that takes writes.</summary>
    public NodeAddress Primary { get; }

    /// <summary>Asynchronous replicas, in document order.</summary>
    public IReadOnlyList<NodeAddress> Replicas { get; }
}
