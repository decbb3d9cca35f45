using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>Reads nothing: for asking only whether an item exists.</summary>
internal readonly struct PresenceReader : IItemReader
{
    public void Read(in ItemView item)
    {
    }
}
