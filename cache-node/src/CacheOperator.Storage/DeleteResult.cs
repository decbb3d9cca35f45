namespace CacheOperator.Storage;

/// <summary>Outcome of a delete request.</summary>
public enum DeleteResult : byte
{
    Deleted,
    NotFound,
    /// <summary>The compare-CAS did not match the item's CAS.</summary>
    Exists,
}
