namespace CacheOperator.Storage;

/// <summary>
/// The meta protocol's lease answers for a read (memcached's W, X and Z return flags):
/// they let exactly one client recompute a missing or stale value while the others wait or serve stale.
/// </summary>
[Flags]
public enum LeaseFlags : byte
{
    None = 0,
    /// <summary>W: this client won the right to recache the item.</summary>
    Won = 1,
    /// <summary>X: the item has been invalidated and is stale.</summary>
    Stale = 2,
    /// <summary>Z: another client already holds the win token.</summary>
    AlreadyWon = 4,
}
