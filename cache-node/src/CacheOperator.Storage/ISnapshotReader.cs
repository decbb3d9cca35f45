namespace CacheOperator.Storage;

/// <summary>Receives the items of a snapshot; called under the item's partition lock, like <see cref="IItemReader"/>.</summary>
public interface ISnapshotReader
{
    void Read(ulong keyHash, in ItemView item);
}
