namespace CacheOperator.Storage;

/// <summary>
/// Receives an item while the store holds it steady. Implement it on a struct and pass it by reference:
/// the store's methods are generic over the reader so the call is direct, with no allocation.
/// </summary>
public interface IItemReader
{
    /// <summary>Called once per hit, under the item's partition lock: copy what you need, do no I/O.</summary>
    void Read(in ItemView item);
}
