using CacheOperator.Storage;

namespace CacheOperator.Server.Observability;

/// <summary>
/// Counter values at the last "stats reset". The Prometheus counters never go back (a drop reads as a
/// restart to rate()), so the stats command reports the difference from this instead of zeroing them.
/// </summary>
internal sealed class StatsBaseline
{
    public static readonly StatsBaseline Zero = new([], 0, 0, 0, 0, new CacheStoreStats());

    public StatsBaseline(long[] commands, long totalConnections, long rejectedConnections, long bytesRead, long bytesWritten,
        CacheStoreStats store)
    {
        Commands = commands;
        TotalConnections = totalConnections;
        RejectedConnections = rejectedConnections;
        BytesRead = bytesRead;
        BytesWritten = bytesWritten;
        Store = store;
    }

    /// <summary>By kind * result count + result; empty means all zero.</summary>
    public long[] Commands { get; }

    public long TotalConnections { get; }

    public long RejectedConnections { get; }

    public long BytesRead { get; }

    public long BytesWritten { get; }

    public CacheStoreStats Store { get; }

    public long Command(int index) => index < Commands.Length ? Commands[index] : 0;
}
