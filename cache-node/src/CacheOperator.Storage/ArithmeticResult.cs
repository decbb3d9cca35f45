namespace CacheOperator.Storage;

/// <summary>Outcome of incr/decr (text) or ma (meta).</summary>
public enum ArithmeticResult : byte
{
    Ok,
    NotFound,
    /// <summary>The value is not a decimal unsigned 64-bit number.</summary>
    NonNumeric,
    /// <summary>The compare-CAS did not match the item's CAS.</summary>
    Exists,
    /// <summary>Auto-vivify could not store the initial value.</summary>
    NotStored,
}
