namespace CacheOperator.LoadGen;

/// <summary>Where a run is; workers poll it between batches.</summary>
internal enum RunPhase
{
    WarmingUp,
    Measuring,
    Stopped,
}
