namespace CacheOperator.Storage;

/// <summary>Outcome of a store request, mapped by the protocol layer to STORED / NOT_STORED / EXISTS / NOT_FOUND.</summary>
public enum StoreResult : byte
{
    Stored,
    NotStored,
    /// <summary>The compare-CAS did not match the item's CAS.</summary>
    Exists,
    NotFound,
    /// <summary>The item (header, key and value) is larger than the maximum item size.</summary>
    TooLarge,
    /// <summary>No memory could be freed for the item (all of it is being written right now).</summary>
    OutOfMemory,
}
