namespace CacheOperator.Storage;

/// <summary>An incr/decr request: text incr/decr and meta ma.</summary>
public struct ArithmeticRequest
{
    public ArithmeticRequest(bool increment, ulong delta)
    {
        Increment = increment;
        Delta = delta;
    }

    /// <summary>True to add <see cref="Delta"/> (wrapping at 2^64), false to subtract it (stopping at 0).</summary>
    public bool Increment { get; set; }

    public ulong Delta { get; set; }

    /// <summary>If non-zero, apply only if the item's CAS equals it (ma C).</summary>
    public ulong CompareCas { get; set; }

    /// <summary>ma N: on miss, create the item holding <see cref="InitialValue"/> with <see cref="VivifyExptime"/>.</summary>
    public bool Vivify { get; set; }

    public long VivifyExptime { get; set; }

    public ulong InitialValue { get; set; }

    /// <summary>ma T: give the item a new expiry on success.</summary>
    public bool Touch { get; set; }

    public long TouchExptime { get; set; }
}
