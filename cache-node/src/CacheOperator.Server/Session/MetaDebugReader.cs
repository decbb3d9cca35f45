using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>Writes me's one-line description of an item, in memcached's format.</summary>
internal readonly struct MetaDebugReader : IItemReader
{
    /// <summary>memcached's item header with CAS; its "size" counts it with the key's NUL and the value's CRLF.</summary>
    private const int MemcachedItemOverhead = 56 + 1 + 2;

    private readonly PipeWriter _output;

    public MetaDebugReader(PipeWriter output) => _output = output;

    public void Read(in ItemView item)
    {
        _output.Write("ME "u8);
        _output.Write(item.Key);
        _output.Write(" exp="u8);
        ReplyWriter.WriteNumber(_output, item.TimeToLive);
        _output.Write(" la="u8);
        ReplyWriter.WriteNumber(_output, Math.Max(0L, (long)item.Now - item.LastAccess));
        _output.Write(" cas="u8);
        ReplyWriter.WriteNumber(_output, (long)item.Cas);
        _output.Write(item.FetchedBefore ? " fetch=yes"u8 : " fetch=no"u8);
        _output.Write(" cls=1 size="u8);
        // memcached stores non-zero client flags in 4 extra bytes.
        ReplyWriter.WriteNumber(_output, MemcachedItemOverhead + item.Key.Length + item.Value.Length + (item.Flags != 0 ? 4 : 0));
        _output.Write(Replies.CrLf);
    }
}
