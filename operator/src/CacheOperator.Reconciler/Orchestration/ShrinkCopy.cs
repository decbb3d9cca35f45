namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// A kept pod that no shard needs after a lowering (a surplus replica of another shard, or a standby) made a replica
/// of a shard that has too few copies among the ordinals the StatefulSet keeps: it copies that shard from its primary
/// (the ordinary replica stream, a fresh copy) before anything retires, so the shrink never deletes a shard's data.
/// </summary>
/// <param name="Pod">The pod that copies the shard.</param>
/// <param name="Shard">The shard it becomes a replica of.</param>
/// <param name="Was">What it was before, for a person: "replica of shard-1", "standby".</param>
/// <param name="Source">The shard's primary when the copy was decided (the stream follows the current one).</param>
public sealed record ShrinkCopy(string Pod, string Shard, string Was, string Source);
