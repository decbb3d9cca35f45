using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Router.Backends;
using CacheOperator.Router.Routing;
using CacheOperator.Server.Transport;

namespace CacheOperator.Router.Session;

/// <summary>
/// One client connection. The whole requests in a read are parsed and sent on at once (so a pipelining client's
/// requests travel to the backends together), then the replies are written in request order and flushed.
/// </summary>
/// <remarks>
/// Memory stays bounded whatever the client asks for and however slowly it reads: at most
/// <see cref="MaxRepliesPerBatch"/> requests are in flight per connection (the rest of a long pipeline waits in
/// the input until their replies are written); output is flushed, waiting for the client, whenever
/// <see cref="MultiGetRelay.FlushThreshold"/> bytes are unflushed; and a multi-key get, whose reply has no bound,
/// is relayed as it arrives rather than held (see <see cref="MultiGetRelay"/>). It is sent only once every earlier
/// reply is written, so a connection holds back backends for one relay at a time, the one its client is reading.
/// </remarks>
internal sealed class RouterSession
{
    /// <summary>memcached's longest key.</summary>
    private const int MaxKeyLength = 250;

    /// <summary>Longest ordinary line; get lines may grow to <see cref="MaxGetLine"/> (a multi-get has no key limit).</summary>
    private const int LineLimit = 8 * 1024;

    private const int MaxGetLine = 1024 * 1024;

    /// <summary>Requests sent on before their replies are written: each reply is at most one item.</summary>
    private const int MaxRepliesPerBatch = 64;

    private static readonly byte[] ErrorReply = Replies.Error.ToArray();
    private static readonly byte[] OkReply = Replies.Ok.ToArray();
    private static readonly byte[] VersionReply = Replies.Version.ToArray();
    private static readonly byte[] NoopReply = Replies.MetaNoop.ToArray();
    private static readonly byte[] BadFormatReply = Replies.BadCommandLineFormat.ToArray();
    private static readonly byte[] ResetReply = "RESET\r\n"u8.ToArray();
    private static readonly byte[] EndReply = "END\r\n"u8.ToArray();
    private static readonly byte[] BadChunkReply = Replies.BadDataChunk.ToArray();
    private static readonly byte[] RouterErrorReply = "SERVER_ERROR router error\r\n"u8.ToArray();

    /// <summary>Sessions started; each takes the next number as its connection affinity.</summary>
    private static int _sessions;

    private readonly RequestRouter _router;
    private readonly int _affinity = Interlocked.Increment(ref _sessions);
    private readonly RouterStatus _status;
    private readonly List<(byte[]? Fixed, Task<PooledBuffer?>? Pending, MultiGetRelay? Relay)> _replies = [];

    /// <summary>Entries of <see cref="_replies"/> already written to the client.</summary>
    private int _written;
    private byte[] _scratch = [];

    public RouterSession(RequestRouter router, RouterStatus status)
    {
        _router = router;
        _status = status;
    }

    public async Task RunAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var input = transport.Input;
        var output = transport.Output;
        // On the epoll transport the session, its pipes and its backend connections belong to one loop: code
        // resumed elsewhere (a failure, a streamed reply) comes back to it before it touches them.
        var loop = (transport as IEpollPipe)?.Loop;
        _scratch = ArrayPool<byte>.Shared.Rent(LineLimit);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                // Every request of this read goes to each backend in one send (on a loop, with the round's others).
                if (loop is null)
                    BackendConnection.BeginBatch();
                bool keepOpen, stoppedEarly;
                SequencePosition consumed, examined;
                try
                {
                    keepOpen = Process(buffer, out consumed, out examined, out stoppedEarly);
                }
                finally
                {
                    if (loop is null)
                        BackendConnection.EndBatch();
                }

                // Every request taken from the buffer has been copied for its backend: the bytes can go.
                input.AdvanceTo(consumed, examined);

                var clientGone = false;
                while (_written < _replies.Count && !clientGone)
                {
                    var (fixedReply, pending, relay) = _replies[_written];
                    if (fixedReply is not null)
                    {
                        output.Write(fixedReply);
                    }
                    else if (relay is not null)
                    {
                        clientGone = !await relay.CopyToAsync(output, loop, cancellationToken).ConfigureAwait(false);
                        if (loop is not null)
                            await loop.SwitchTo();
                    }
                    else
                    {
                        PooledBuffer? reply;
                        var faulted = false;
                        try
                        {
                            reply = await pending!.ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // A fault in the router must cost this request, not the connection (and its other replies).
                            reply = null;
                            faulted = true;
                        }

                        if (loop is not null)
                            await loop.SwitchTo();
                        if (faulted)
                            output.Write(RouterErrorReply);

                        if (reply is not null)
                        {
                            output.Write(reply.Span);
                            reply.Dispose();
                        }
                    }

                    _written++;
                    if (!clientGone && output.CanGetUnflushedBytes && output.UnflushedBytes >= MultiGetRelay.FlushThreshold)
                        clientGone = (await output.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted;
                }

                _replies.Clear();
                _written = 0;
                if (clientGone)
                    break;
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                // A batch that stopped early leaves whole requests in the input: they are read again at once.
                if (!keepOpen || flush.IsCompleted || result.IsCanceled || (result.IsCompleted && !stoppedEarly))
                    break;
            }
        }
        finally
        {
            if (loop is not null)
                await loop.SwitchTo();
            for (var i = _written; i < _replies.Count; i++)
            {
                var (_, pending, relay) = _replies[i];
                relay?.Abandon();
                _ = pending?.ContinueWith(static t => { if (t.IsCompletedSuccessfully) t.Result?.Dispose(); }, TaskScheduler.Default);
            }

            _replies.Clear();
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Dispatches the whole requests of a read; false when the connection must close after the replies so far.
    /// <paramref name="stoppedEarly"/>: whole requests were left for the next batch (see <see cref="MaxRepliesPerBatch"/>).
    /// </summary>
    private bool Process(in ReadOnlySequence<byte> buffer, out SequencePosition consumed, out SequencePosition examined, out bool stoppedEarly)
    {
        var remaining = buffer;
        stoppedEarly = false;
        while (true)
        {
            consumed = remaining.Start;
            examined = buffer.End;
            if (remaining.IsEmpty)
                return true;
            if (_replies.Count >= MaxRepliesPerBatch)
            {
                stoppedEarly = true;
                examined = consumed;
                return true;
            }

            var status = RequestParser.TryReadLine(remaining, _scratch.AsSpan(0, Math.Min(_scratch.Length, MaxGetLine)), out var text, out var afterLine);
            if (status == LineStatus.TooLong && _scratch.Length < MaxGetLine && LooksLikeGet(remaining))
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(MaxGetLine);
                status = RequestParser.TryReadLine(remaining, _scratch.AsSpan(0, MaxGetLine), out text, out afterLine);
            }

            if (status == LineStatus.Incomplete)
                return true;
            if (status == LineStatus.TooLong)
            {
                consumed = examined = buffer.End;
                return false;
            }

            var line = RequestLine.Parse(text);
            var step = Dispatch(ref line, remaining, afterLine, out var next);
            if (step == Step.NeedMoreData)
                return true;
            if (step == Step.AfterEarlierReplies)
            {
                stoppedEarly = true;
                examined = consumed;
                return true;
            }

            _status.CountRequest();
            if (step == Step.Close)
            {
                consumed = examined = buffer.End;
                return false;
            }

            remaining = remaining.Slice(next);
        }
    }

    private Step Dispatch(ref RequestLine line, in ReadOnlySequence<byte> remaining, SequencePosition afterLine, out SequencePosition next)
    {
        next = afterLine;
        var table = _router.Rings.Current!;
        switch (line.Command)
        {
            case CommandType.Get or CommandType.Gets or CommandType.Gat or CommandType.Gats:
            {
                var first = line.Command is CommandType.Gat or CommandType.Gats ? 2 : 1;
                if (line.Count <= first)
                    return Fixed(ErrorReply);
                foreach (var key in line.KeysFrom(first))
                {
                    if (key.Length > MaxKeyLength)
                        return Fixed(BadFormatReply);
                }

                var single = line.Count == first + 1 && !line.HasMore;
                if (!single && _replies.Count > 0)
                    return Step.AfterEarlierReplies;
                var request = Copy(remaining, afterLine);
                if (single)
                {
                    var keyMemory = KeyIn(request, line, line[first]);
                    return Pending(_router.KeyedAsync(table, request, keyMemory, RequestClass.Read, ReplyKind.Retrieval, ReplyMode.Normal, meta: false, _affinity,
                        hotEligible: line.Command == CommandType.Get));
                }

                line.Text.Overlaps(line[first], out var prefixLength);
                _replies.Add((null, null, _router.MultiGet(table, request, prefixLength, line.Text.Length, _affinity)));
                return Step.Done;
            }

            case CommandType.Set or CommandType.Add or CommandType.Replace or CommandType.Append or CommandType.Prepend or CommandType.Cas:
            {
                var tokens = line.Command == CommandType.Cas ? 6 : 5;
                if (line.Count < tokens || line.Count > tokens + 1 || line.HasMore)
                    return Fixed(ErrorReply);
                if (line[1].Length > MaxKeyLength || !ProtocolNumbers.TryParseInt32(line[4], out var size) || size < 0)
                    return Fixed(BadFormatReply);
                return WithData(ref line, remaining, afterLine, size, RequestClass.Write, ReplyKind.Line,
                    line.IsNoReply ? ReplyMode.NoReply : ReplyMode.Normal, meta: false, out next);
            }

            case CommandType.Delete:
                if (line.Count is < 2 or > 4 || line.HasMore)
                    return Fixed(ErrorReply);
                return Keyed(ref line, remaining, afterLine, RequestClass.Delete, ReplyKind.Line, line.IsNoReply ? ReplyMode.NoReply : ReplyMode.Normal, meta: false);

            case CommandType.Incr or CommandType.Decr or CommandType.Touch:
                if (line.Count is < 3 or > 4 || line.HasMore)
                    return Fixed(ErrorReply);
                return Keyed(ref line, remaining, afterLine, RequestClass.Write, ReplyKind.Line, line.IsNoReply ? ReplyMode.NoReply : ReplyMode.Normal, meta: false);

            case CommandType.MetaGet or CommandType.MetaDebug:
                if (line.Count < 2)
                    return Fixed(ErrorReply);
                return Keyed(ref line, remaining, afterLine, RequestClass.Read, ReplyKind.Meta, MetaMode(line, 2), meta: true);

            case CommandType.MetaDelete:
                if (line.Count < 2)
                    return Fixed(ErrorReply);
                return Keyed(ref line, remaining, afterLine, RequestClass.Delete, ReplyKind.Meta, MetaMode(line, 2), meta: true);

            case CommandType.MetaArithmetic:
                if (line.Count < 2)
                    return Fixed(ErrorReply);
                return Keyed(ref line, remaining, afterLine, RequestClass.Write, ReplyKind.Meta, MetaMode(line, 2), meta: true);

            case CommandType.MetaSet:
            {
                if (line.Count < 3)
                    return Fixed(ErrorReply);
                if (!ProtocolNumbers.TryParseInt32(line[2], out var size) || size < 0)
                    return Fixed(BadFormatReply);
                return WithData(ref line, remaining, afterLine, size, RequestClass.Write, ReplyKind.Meta, MetaMode(line, 3), meta: true, out next);
            }

            case CommandType.MetaNoop:
                return Fixed(NoopReply);
            case CommandType.Version:
                return Fixed(VersionReply);
            case CommandType.Verbosity:
                // As memcached: "verbosity <n> [noreply]", else ERROR; a bad number is a format error.
                if (line.MemcachedTokenCount is not (3 or 4))
                    return Fixed(ErrorReply);
                if (!ProtocolNumbers.TryParseUInt64(line[1], out _))
                    return line.IsNoReply ? Step.Done : Fixed(BadFormatReply);
                return line.IsNoReply ? Step.Done : Fixed(OkReply);
            case CommandType.FlushAll:
                return Pending(_router.FanOutAsync(table, Copy(remaining, afterLine), line.IsNoReply ? ReplyMode.NoReply : ReplyMode.Normal, _affinity));
            case CommandType.Stats:
                return StatsStep(ref line, table);
            case CommandType.Quit:
                return Step.Close;
            default:
                return Fixed(ErrorReply);
        }
    }

    /// <summary>
    /// "stats" answers the router's own list; groups about items ("items", "slabs", "settings", "sizes",
    /// "conns") are empty here (the router holds no items: ask the nodes); "reset" answers RESET; anything
    /// else (including "stats noreply") is ERROR, as on memcached.
    /// </summary>
    private Step StatsStep(ref RequestLine line, RouteTable table)
    {
        if (line.Count == 1)
            return Fixed(_status.StatsReply(table));
        if (line.Count > 2)
            return Fixed(ErrorReply);
        var group = line[1];
        if (group.SequenceEqual("reset"u8))
            return Fixed(ResetReply);
        if (group.SequenceEqual("items"u8) || group.SequenceEqual("slabs"u8) || group.SequenceEqual("settings"u8)
            || group.SequenceEqual("sizes"u8) || group.SequenceEqual("conns"u8))
            return Fixed(EndReply);
        return Fixed(ErrorReply);
    }

    private Step Keyed(ref RequestLine line, in ReadOnlySequence<byte> remaining, SequencePosition end, RequestClass requestClass,
        ReplyKind kind, ReplyMode mode, bool meta)
    {
        var key = line[1];
        var base64 = meta && HasFlag(line, 2, (byte)'b');
        if (!base64 && key.Length > MaxKeyLength)
            return Fixed(BadFormatReply);
        var request = Copy(remaining, end);
        var keyMemory = base64 ? DecodeKey(key) : KeyIn(request, line, key);
        if (keyMemory.IsEmpty)
        {
            request.Dispose();
            return Fixed(BadFormatReply);
        }

        return Pending(_router.KeyedAsync(_router.Rings.Current!, request, keyMemory, requestClass, kind, mode, meta, _affinity));
    }

    private Step WithData(ref RequestLine line, in ReadOnlySequence<byte> remaining, SequencePosition afterLine, int size,
        RequestClass requestClass, ReplyKind kind, ReplyMode mode, bool meta, out SequencePosition next)
    {
        next = afterLine;
        var data = remaining.Slice(afterLine);
        if (data.Length < size + 2L)
            return Step.NeedMoreData;
        next = data.GetPosition(size + 2L);
        Span<byte> terminator = stackalloc byte[2];
        data.Slice(size, 2).CopyTo(terminator);
        if (!terminator.SequenceEqual("\r\n"u8))
            return Fixed(BadChunkReply);
        return Keyed(ref line, remaining, next, requestClass, kind, mode, meta);
    }

    private static ReplyMode MetaMode(in RequestLine line, int firstFlag) =>
        HasFlag(line, firstFlag, (byte)'q') ? ReplyMode.Quiet : ReplyMode.Normal;

    private static bool HasFlag(in RequestLine line, int first, byte flag)
    {
        for (var i = first; i < line.Count; i++)
        {
            if (line[i][0] == flag)
                return true;
        }

        return false;
    }

    private static ReadOnlyMemory<byte> KeyIn(PooledBuffer request, in RequestLine line, ReadOnlySpan<byte> key)
    {
        // The request copy starts with the line, so a token's offset in the line is its offset in the copy.
        line.Text.Overlaps(key, out var offset);
        return request.Memory.Slice(offset, key.Length);
    }

    private static ReadOnlyMemory<byte> DecodeKey(ReadOnlySpan<byte> encoded)
    {
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        return Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) == OperationStatus.Done && written is > 0 and <= MaxKeyLength
            ? decoded.AsMemory(0, written)
            : ReadOnlyMemory<byte>.Empty;
    }

    private static PooledBuffer Copy(in ReadOnlySequence<byte> remaining, SequencePosition end)
    {
        var bytes = remaining.Slice(remaining.Start, end);
        var request = new PooledBuffer((int)bytes.Length);
        request.Write(bytes);
        return request;
    }

    private static bool LooksLikeGet(in ReadOnlySequence<byte> remaining)
    {
        Span<byte> head = stackalloc byte[8];
        var length = (int)Math.Min(head.Length, remaining.Length);
        remaining.Slice(0, length).CopyTo(head);
        return head[..length].StartsWith("get"u8) || head[..length].StartsWith("gat"u8);
    }

    private Step Fixed(byte[] reply)
    {
        _replies.Add((reply, null, null));
        return Step.Done;
    }

    private Step Pending(Task<PooledBuffer?> reply)
    {
        _replies.Add((null, reply, null));
        return Step.Done;
    }

    private enum Step : byte
    {
        Done,
        NeedMoreData,
        Close,

        /// <summary>A multi-key get waits until every earlier reply is written (see the class remarks).</summary>
        AfterEarlierReplies,
    }
}
