namespace CacheOperator.Node.IntegrationTests.Fuzz;

/// <summary>What the fuzz connections did, shared by their tasks (updated with Interlocked).</summary>
public sealed class FuzzCounters
{
    public long Payloads;
    public long BytesSent;
    public long BytesReceived;
    public long Connections;
    public long ClosedByServer;
    public long SendStalls;
    public long GoodRoundTrips;
    public long FillBytes;
    public long FailedConnects;

    public override string ToString() =>
        $"payloads {Payloads}, bytes sent {BytesSent}, bytes received {BytesReceived}, connections {Connections}, " +
        $"closed by server {ClosedByServer}, send stalls {SendStalls}, good round trips {GoodRoundTrips}, filler bytes {FillBytes}, failed connects {FailedConnects}";
}
