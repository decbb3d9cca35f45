namespace CacheOperator.Server.Observability;

/// <summary>Where a stats group goes: memcached's STAT lines or the admin endpoint's JSON.</summary>
internal interface IStatsSink
{
    void Add(ReadOnlySpan<byte> name, long value);

    void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>A fractional value with a fixed number of decimals, as memcached prints rusage and ratios.</summary>
    void Add(ReadOnlySpan<byte> name, double value, int decimals);
}
