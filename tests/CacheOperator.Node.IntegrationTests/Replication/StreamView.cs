namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>One stream as GET /replication/streams lists it (the fields these tests read).</summary>
public sealed record StreamView(
    string Id, string Role, string Phase, long Items, long Bytes, long LogEntries, long LastSequence,
    long SourceSequence, long LagEntries, long Restarts, string? LastError);
