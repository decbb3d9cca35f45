using System.Diagnostics;
using System.Text;
using CacheOperator.Router.Observability;
using CacheOperator.Router.Routing;

namespace CacheOperator.Router.Session;

/// <summary>Router-wide counters behind the client <c>stats</c> command (the router answers it itself).</summary>
internal sealed class RouterStatus
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly RouterMetrics _metrics;
    private long _connections;
    private long _totalConnections;

    public RouterStatus(RouterMetrics metrics) => _metrics = metrics;

    public void CountRequest() => _metrics.ClientRequests.Inc();

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Increment(ref _totalConnections);
        _metrics.ClientConnections.Inc();
    }

    public void ConnectionClosed()
    {
        Interlocked.Decrement(ref _connections);
        _metrics.ClientConnections.Dec();
    }

    /// <summary>A memcached-style STAT listing of the router itself (not of its backends).</summary>
    public byte[] StatsReply(RouteTable table)
    {
        var up = table.All.Distinct().Count(b => b.IsUp);
        var all = table.All.Distinct().Count();
        var text = new StringBuilder();
        text.Append("STAT pid ").Append(Environment.ProcessId).Append("\r\n");
        text.Append("STAT uptime ").Append((long)Stopwatch.GetElapsedTime(_started).TotalSeconds).Append("\r\n");
        text.Append("STAT time ").Append(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Append("\r\n");
        text.Append("STAT version 1.6.18\r\n");
        text.Append("STAT role router\r\n");
        text.Append("STAT curr_connections ").Append(Interlocked.Read(ref _connections)).Append("\r\n");
        text.Append("STAT total_connections ").Append(Interlocked.Read(ref _totalConnections)).Append("\r\n");
        text.Append("STAT cmd_total ").Append((long)_metrics.ClientRequests.Value).Append("\r\n");
        text.Append("STAT ring_version ").Append(table.Version).Append("\r\n");
        text.Append("STAT backends_up ").Append(up).Append("\r\n");
        text.Append("STAT backends_down ").Append(all - up).Append("\r\n");
        text.Append("END\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
