namespace CacheOperator.Storage;

/// <summary>How a store request treats an existing item (memcached's set family and ms's M flag).</summary>
public enum StoreMode : byte
{
    /// <summary>Store unconditionally.</summary>
    Set,
    /// <summary>Store only if no live item exists.</summary>
    Add,
    /// <summary>Store only if a live item exists.</summary>
    Replace,
    /// <summary>Add the data after the existing item's value; flags and expiry are kept.</summary>
    Append,
    /// <summary>Add the data before the existing item's value; flags and expiry are kept.</summary>
    Prepend,
    /// <summary>Text protocol's <c>cas</c>: store only if the item exists and its CAS matches.</summary>
    Cas,
}
