using CacheOperator.Storage;

namespace CacheOperator.EvictionSim;

/// <summary>A hit is all the study needs; the value is not copied.</summary>
internal struct DiscardingReader : IItemReader
{
    public readonly void Read(in ItemView item)
    {
    }
}
