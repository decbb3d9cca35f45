using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Router.Backends;
using CacheOperator.Server.Transport;

namespace CacheOperator.Router.Routing;

/// <summary>
/// The reply to one multi-key get, relayed as it arrives: the sub-replies of its backends (one, or one per backend
/// for a split get) are streamed, and their VALUE blocks are written to the client in its key order, duplicates
/// included, then one END. A backend that fails, or has no block for a key, counts as a miss for it.
/// </summary>
/// <remarks>
/// Nothing is held whole: a sub-reply buffers at most <see cref="PendingReply.StreamBudget"/> plus one block before
/// its backend connection stops reading, and the client's output is flushed (waiting for a slow client) every
/// <see cref="FlushThreshold"/> bytes. So the router's memory stays bounded however much the get asks for, and a
/// client that reads slowly slows the backends' sending down instead.
/// </remarks>
internal sealed class MultiGetRelay
{
    /// <summary>Unflushed client output after which the writer flushes and waits for the client.</summary>
    public const int FlushThreshold = 64 * 1024;

    private readonly PooledBuffer _request;
    private readonly List<(int Start, int Length)> _keys;
    private readonly int[] _groupOf;
    private readonly PendingReply[] _subReplies;

    public MultiGetRelay(PooledBuffer request, List<(int Start, int Length)> keys, int[] groupOf, PendingReply[] subReplies)
    {
        _request = request;
        _keys = keys;
        _groupOf = groupOf;
        _subReplies = subReplies;
    }

    /// <summary>Writes the whole reply to <paramref name="output"/>; false when the client went away meanwhile.</summary>
    /// <param name="output">The client's writer.</param>
    /// <param name="loop">The loop <paramref name="output"/> belongs to, if any: writes happen on its thread only.</param>
    /// <param name="cancellationToken">Ends the wait for the client.</param>
    public async Task<bool> CopyToAsync(PipeWriter output, EpollLoop? loop, CancellationToken cancellationToken)
    {
        var chunks = new PooledBuffer?[_subReplies.Length];
        var offsets = new int[_subReplies.Length];
        var ended = new bool[_subReplies.Length];
        try
        {
            for (var i = 0; i < _keys.Count; i++)
            {
                var g = _groupOf[i];
                if (g < 0)
                    continue;
                while (!ended[g] && (chunks[g] is null || offsets[g] == chunks[g]!.Length))
                {
                    chunks[g]?.Dispose();
                    chunks[g] = await _subReplies[g].TakeAsync().ConfigureAwait(false);
                    // Parts are handed over from the backend's thread (the pool when they had to be waited for).
                    if (loop is not null)
                        await loop.SwitchTo();
                    offsets[g] = 0;
                    ended[g] = chunks[g] is null;
                }

                if (ended[g])
                    continue;
                // Each backend answers its keys in the order asked, so its next block is this key's or it missed.
                var rest = chunks[g]!.Span[offsets[g]..];
                if (!TryValueBlock(rest, _request.Span.Slice(_keys[i].Start, _keys[i].Length), out var blockLength))
                    continue;
                output.Write(rest[..blockLength]);
                offsets[g] += blockLength;
                if (!output.CanGetUnflushedBytes || output.UnflushedBytes >= FlushThreshold)
                {
                    var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                        return false;
                }
            }

            output.Write(Replies.End);
            return true;
        }
        finally
        {
            foreach (var chunk in chunks)
                chunk?.Dispose();
            Abandon();
        }
    }

    /// <summary>
    /// Lets go of the sub-replies (the client is gone, or every key is answered): what they still send is dropped,
    /// so their backend connections never wait for this relay. Safe to call more than once.
    /// </summary>
    public void Abandon()
    {
        foreach (var reply in _subReplies)
            reply.Abandon();
        _request.Dispose();
    }

    /// <summary>Whether <paramref name="reply"/> starts with the VALUE block of <paramref name="key"/>, and its length.</summary>
    private static bool TryValueBlock(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> key, out int length)
    {
        length = 0;
        var newline = reply.IndexOf((byte)'\n');
        if (newline < 0 || !reply.StartsWith("VALUE "u8))
            return false;
        var header = RequestLine.Parse(reply[..(newline > 0 && reply[newline - 1] == (byte)'\r' ? newline - 1 : newline)]);
        if (header.Count < 4 || !header[1].SequenceEqual(key) || !ProtocolNumbers.TryParseInt32(header[3], out var size))
            return false;
        length = newline + 1 + size + 2;
        return length <= reply.Length;
    }
}
