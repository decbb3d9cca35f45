using CacheOperator.Metrics;
using CacheOperator.Storage;

namespace CacheOperator.Server.Observability;

/// <summary>The node's instruments; one per node, thread-safe, allocation-free recording.</summary>
public sealed class NodeMetrics
{
    private long _currentConnections;

    public NodeMetrics(IMetricsFactory factory, CacheStore store, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
    }

    public long CurrentConnections => Volatile.Read(ref _currentConnections);

    /// <summary>Counts one command; multi-key gets call this once per key.</summary>
    public void RecordCommand(CommandKind kind, CommandResult result)
    {
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public void RecordLatency(CommandKind kind, long startTimestamp)
    {
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _currentConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _currentConnections);

    public void ConnectionRejected()
    {
    }

    public void AddBytesRead(long count)
    {
    }

    public void AddBytesWritten(long count)
    {
    }
}
