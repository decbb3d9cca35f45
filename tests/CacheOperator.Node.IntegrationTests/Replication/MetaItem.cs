namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>A hit read with `mg &lt;key&gt; v f t`: value, client flags and remaining TTL in seconds (-1 = never expires).</summary>
public sealed record MetaItem(string Value, uint Flags, long Ttl);
