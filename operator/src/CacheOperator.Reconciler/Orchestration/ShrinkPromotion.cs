namespace CacheOperator.Reconciler.Orchestration;

/// <summary>A shard whose primary sits above the pods the StatefulSet keeps: the replica below takes it over first.</summary>
public sealed record ShrinkPromotion(string Shard, string NewPrimary, string OldPrimary);
