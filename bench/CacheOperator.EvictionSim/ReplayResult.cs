namespace CacheOperator.EvictionSim;

/// <summary>Hit ratio of a replay, and how many items the cache held on average in its second half.</summary>
internal readonly record struct ReplayResult(double HitRatio, double AverageHeld);
