namespace CacheOperator.EvictionSim;

/// <summary>A read-through cache of integer keys bounded by item count: a miss inserts the key.</summary>
internal interface IEvictionPolicy
{
    string Name { get; }

    /// <summary>Looks the key up; on a miss inserts it, evicting as the policy decides. True on a hit.</summary>
    bool Access(int key);

    /// <summary>Items held now.</summary>
    long Count { get; }
}
