namespace CacheOperator.Storage;

/// <summary>What incr/decr left behind, for ma's v, c and t return flags.</summary>
public readonly record struct ArithmeticOutcome(ulong Value, ulong Cas, long TimeToLive);
