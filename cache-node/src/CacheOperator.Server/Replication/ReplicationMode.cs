namespace CacheOperator.Server.Replication;

/// <summary>Whether replication may run without a cluster token (insecure development mode, never in a cluster).</summary>
public sealed record ReplicationMode(bool InsecureDevelopmentMode);
