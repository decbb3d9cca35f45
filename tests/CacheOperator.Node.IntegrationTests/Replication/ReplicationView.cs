namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>GET /replication/streams.</summary>
public sealed record ReplicationView(bool ReadOnlyReplica, long TotalRestarts, long TotalOverflows, IReadOnlyList<StreamView> Streams)
{
    public StreamView? Pull => Streams.FirstOrDefault(s => s.Role is "target" or "replica");

    public StreamView? Source => Streams.FirstOrDefault(s => s.Role == "source");

    public override string ToString() =>
        $"readOnlyReplica={ReadOnlyReplica} totalRestarts={TotalRestarts} streams=[{string.Join("; ", Streams)}]";
}
