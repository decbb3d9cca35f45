namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The steps of a scale-out, in order; each reconcile advances at most one.</summary>
public enum ScalePhase
{
    /// <summary>The new shards' pods are being created; the ring still has only the old shards.</summary>
    AddingPods,

    /// <summary>Warm-up streams copy the moving buckets from their owners to the new shards.</summary>
    WarmingUp,

    /// <summary>
    /// Lowering replicasPerShard: kept pods copy the shards short of copies among the kept ordinals (replica streams)
    /// before anything leaves the ring. Stored by name, so inserting it here changes no stored operation.
    /// </summary>
    CopyingDown,

    /// <summary>The ring with the new bucket table is being stored (same write as this phase).</summary>
    Publishing,

    /// <summary>Routers are being brought to the published version.</summary>
    WaitingForRouters,

    /// <summary>Streams are ended and the old owners drop what moved.</summary>
    Dropping,

    Done,
}
