using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>Writes an mg hit ("VA"/"HD", return flags in request order, lease flags, value) while the store holds the item.</summary>
internal ref struct MetaGetReader : IItemReader
{
    private readonly PipeWriter _output;
    private readonly ReadOnlySpan<byte> _rawKey;
    private readonly ReadOnlySpan<byte> _flagText;
    private readonly bool _base64;
    private readonly bool _withValue;

    public MetaGetReader(PipeWriter output, ReadOnlySpan<byte> rawKey, ReadOnlySpan<byte> flagText, bool base64, bool withValue)
    {
        _output = output;
        _rawKey = rawKey;
        _flagText = flagText;
        _base64 = base64;
        _withValue = withValue;
    }

    public readonly void Read(in ItemView item)
    {
        if (_withValue)
            ReplyWriter.WriteMetaValueHeader(_output, item.Value.Length);
        else
            _output.Write("HD"u8);

        var facts = new MetaFacts
        {
            HasItem = true,
            HasCas = true,
            HasTimeToLive = true,
            Cas = item.Cas,
            Flags = item.Flags,
            TimeToLive = item.TimeToLive,
            Size = item.Value.Length,
            FetchedBefore = item.FetchedBefore,
            SecondsSinceAccess = Math.Max(0L, (long)item.Now - item.LastAccess),
        };
        MemcachedSession.WriteReturnFlags(_output, _flagText, _rawKey, _base64, facts);

        // memcached appends the lease answers after the requested flags, in this order.
        if ((item.Lease & LeaseFlags.AlreadyWon) != 0)
            _output.Write(" Z"u8);
        if ((item.Lease & LeaseFlags.Stale) != 0)
            _output.Write(" X"u8);
        if ((item.Lease & LeaseFlags.Won) != 0)
            _output.Write(" W"u8);
        _output.Write(Replies.CrLf);
        if (_withValue)
        {
            _output.Write(item.Value);
            _output.Write(Replies.CrLf);
        }
    }
}
