using System.Buffers;
using CacheOperator.Protocol;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>Copies a hit straight from the store into the reply as a VALUE block.</summary>
internal struct TextValueReader : IItemReader
{
    public TextValueReader(IBufferWriter<byte> output, bool includeCas)
    {
        Output = output;
        IncludeCas = includeCas;
    }

    public IBufferWriter<byte> Output { get; }

    public bool IncludeCas { get; }

    public readonly void Read(in ItemView item)
        => ReplyWriter.WriteValue(Output, item.Key, item.Flags, item.Value, IncludeCas, item.Cas);
}
