using CacheOperator.Storage;

namespace CacheOperator.Benchmarks;

/// <summary>Reads only the value's length, so a get benchmark measures the engine, not a copy.</summary>
internal struct LengthReader : IItemReader
{
    public int Length;

    public void Read(in ItemView item) => Length = item.Value.Length;
}
