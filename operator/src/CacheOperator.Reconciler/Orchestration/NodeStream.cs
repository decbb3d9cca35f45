namespace CacheOperator.Reconciler.Orchestration;

/// <summary>One stream as a node's GET /replication/streams reports it.</summary>
public sealed record NodeStream(string Id, string Role, string Buckets, string Phase, long Items, long Bytes, long LagEntries);
