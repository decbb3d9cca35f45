using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>
/// One client connection speaking the memcached text and meta protocols. Each read is parsed completely:
/// every whole request in the buffer is answered into the output pipe, which is flushed once per read, and
/// a partial request is left unconsumed but examined, so the loop waits for more bytes instead of spinning.
/// Command families live in the partial files next to this one.
/// </summary>
public sealed partial class MemcachedSession
{
    /// <summary>First byte of every binary-protocol request.</summary>
    private const byte BinaryProtocolMagic = 0x80;

    /// <summary>Bytes memcached accepts without a newline before it closes the connection (its 2048).</summary>
    private const int UnterminatedLineLimit = 2048;

    private readonly CacheStore _store;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly StatsReport _stats;

    /// <summary>Room for a request line that arrived split across buffer segments.</summary>
    private byte[] _lineBuffer = [];

    /// <summary>The longest line accepted now: <see cref="NodeOptions.MaxLineLength"/>, more for a large multi-get.</summary>
    private int _lineLimit;

    /// <summary>Where a base64 key (meta b flag) is decoded.</summary>
    private readonly byte[] _keyBuffer = new byte[CacheStore.MaxKeyLength];

    /// <summary>Bytes of a rejected data block still to be dropped as they arrive (never buffered whole).</summary>
    private long _swallowRemaining;

    /// <summary>
    /// Reply bytes past which the session stops answering, flushes and then goes on: bounds the reply a
    /// connection holds in memory to this plus one value.
    /// </summary>
    internal const int OutputFlushThreshold = 64 * 1024;

    /// <summary>Set by <see cref="Process"/> when it stopped at the flush threshold with input left to answer.</summary>
    private bool _mustFlushAndResume;

    /// <summary>Bytes left unconsumed by the previous read, to count only new bytes as read.</summary>
    private long _carriedOver;

    /// <summary>
    /// The commands of one read in this many are timed for the latency histogram (the first read of a connection
    /// always): two clock reads and a histogram update per request cost about as much as the store lookup, and a
    /// sample of reads shows the same distribution.
    /// </summary>
    public const int LatencySampleInterval = 16;

    /// <summary>Reads this session has handed to <see cref="Process"/>, to pick the timed ones.</summary>
    private uint _reads;

    /// <summary>Whether the commands of the current read are timed.</summary>
    private bool _timeCommands;

    public MemcachedSession(CacheStore store, NodeOptions options, NodeMetrics metrics, StatsReport stats)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(stats);
        _store = store;
        _options = options;
        _metrics = metrics;
        _stats = stats;
    }

    /// <summary>Serves the connection until the client quits or closes, or the line limit is broken.</summary>
    public async Task RunAsync(IDuplexPipe transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var input = transport.Input;
        var output = transport.Output;
        _lineLimit = _options.MaxLineLength;
        _lineBuffer = ArrayPool<byte>.Shared.Rent(_lineLimit);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                _metrics.AddBytesRead(buffer.Length - _carriedOver);
                _timeCommands = _reads++ % LatencySampleInterval == 0;

                bool keepOpen;
                SequencePosition consumed, examined;
                while (true)
                {
                    keepOpen = Process(buffer, output, out consumed, out examined);

                    var pending = output.CanGetUnflushedBytes ? output.UnflushedBytes : 1;
                    if (pending > 0)
                    {
                        if (output.CanGetUnflushedBytes)
                            _metrics.AddBytesWritten(pending);
                        var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                        keepOpen &= !flush.IsCompleted;
                    }

                    if (!keepOpen || !_mustFlushAndResume)
                        break;
                    // The reply so far is on its way (the flush waited for a slow reader); answer the rest of
                    // what was read without reading more.
                    _mustFlushAndResume = false;
                    buffer = buffer.Slice(consumed);
                }

                _carriedOver = buffer.Slice(consumed).Length;
                input.AdvanceTo(consumed, examined);
                if (!keepOpen || result.IsCompleted || result.IsCanceled)
                    break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_lineBuffer);
            _lineBuffer = [];
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Answers every whole request in <paramref name="buffer"/>; false when the connection must close.</summary>
    private bool Process(in ReadOnlySequence<byte> buffer, PipeWriter output, out SequencePosition consumed,
        out SequencePosition examined)
    {
        var remaining = buffer;
        while (true)
        {
            if (_swallowRemaining > 0)
            {
                var dropped = Math.Min(_swallowRemaining, remaining.Length);
                remaining = remaining.Slice(dropped);
                _swallowRemaining -= dropped;
            }

            if (remaining.IsEmpty)
            {
                consumed = examined = remaining.Start;
                return true;
            }

            if (remaining.FirstSpan is [BinaryProtocolMagic, ..])
            {
                // The binary protocol is not spoken here; closing at once fails such a client fast.
                consumed = examined = buffer.End;
                return false;
            }

            var status = RequestParser.TryReadLine(remaining, _lineBuffer.AsSpan(0, _lineLimit), out var text, out var afterLine);
            if (status == LineStatus.TooLong && TryAllowLongGet(remaining))
                status = RequestParser.TryReadLine(remaining, _lineBuffer.AsSpan(0, _lineLimit), out text, out afterLine);
            if (status == LineStatus.Incomplete)
            {
                // memcached gives up on a client that has sent this much with no newline (a get or gets may go
                // on: its key list can be long); a complete line of up to MaxLineLength is still served.
                if (remaining.Length > UnterminatedLineLimit && !StartsWithGet(remaining))
                {
                    consumed = examined = buffer.End;
                    return false;
                }

                consumed = remaining.Start;
                examined = buffer.End;
                return true;
            }

            if (status == LineStatus.TooLong)
            {
                // memcached closes such a connection without a reply: the client is not speaking the protocol.
                consumed = examined = buffer.End;
                return false;
            }

            var line = RequestLine.Parse(text);
            var outcome = Execute(ref line, remaining.Slice(afterLine), output, out var next);
            if (_lineLimit > _options.MaxLineLength && outcome is not (CommandOutcome.NeedMoreData or CommandOutcome.Suspended))
                ShrinkLineBuffer();
            switch (outcome)
            {
                case CommandOutcome.NeedMoreData:
                    consumed = remaining.Start;
                    examined = buffer.End;
                    return true;
                case CommandOutcome.Suspended:
                    consumed = examined = remaining.Start;
                    _mustFlushAndResume = true;
                    return true;
                case CommandOutcome.Close:
                    consumed = examined = buffer.End;
                    return false;
                default:
                    remaining = remaining.Slice(next);
                    break;
            }

            // A pipeline of requests is answered in slices, so the reply held in memory stays bounded however
            // much input one read brought.
            if (output.CanGetUnflushedBytes && output.UnflushedBytes >= OutputFlushThreshold && !remaining.IsEmpty)
            {
                consumed = examined = remaining.Start;
                _mustFlushAndResume = true;
                return true;
            }
        }
    }

    /// <summary>
    /// memcached lets only get and gets lines grow past the usual limit (a multi-get has no key count limit);
    /// raises the limit to the largest item size for such a line, and says whether it did.
    /// </summary>
    private bool TryAllowLongGet(in ReadOnlySequence<byte> remaining)
    {
        var largest = Math.Max(_options.MaxLineLength, _options.MaxItemSize);
        if (_lineLimit >= largest || !StartsWithGet(remaining))
            return false;

        ArrayPool<byte>.Shared.Return(_lineBuffer);
        _lineLimit = largest;
        _lineBuffer = ArrayPool<byte>.Shared.Rent(largest);
        return true;
    }

    /// <summary>Whether the buffered request is a get or gets, whose line memcached lets grow with its keys.</summary>
    private static bool StartsWithGet(in ReadOnlySequence<byte> remaining)
    {
        Span<byte> head = stackalloc byte[128];
        var length = (int)Math.Min(head.Length, remaining.Length);
        remaining.Slice(0, length).CopyTo(head);
        var start = head[..length].IndexOfAnyExcept((byte)' ');
        if (start < 0 || start > 100)
            return false;
        var command = head[start..length];
        return command.StartsWith("get "u8) || command.StartsWith("gets "u8);
    }

    /// <summary>Gives back the room a long multi-get needed once its line has been answered.</summary>
    private void ShrinkLineBuffer()
    {
        ArrayPool<byte>.Shared.Return(_lineBuffer);
        _lineLimit = _options.MaxLineLength;
        _lineBuffer = ArrayPool<byte>.Shared.Rent(_lineLimit);
    }

    private CommandOutcome Execute(ref RequestLine line, in ReadOnlySequence<byte> payload, PipeWriter output,
        out SequencePosition next)
    {
        next = payload.Start;
        var started = _timeCommands ? Stopwatch.GetTimestamp() : 0;
        var outcome = CommandOutcome.Done;
        if (_store.IsReadOnlyReplica && IsClientWrite(line.Command))
        {
            RefuseWriteOnReplica(ref line, output);
            return CommandOutcome.Done;
        }

        switch (line.Command)
        {
            case CommandType.Get:
            case CommandType.Gets:
            case CommandType.Gat:
            case CommandType.Gats:
                outcome = ExecuteRetrieval(ref line, output);
                break;
            case CommandType.Set:
            case CommandType.Add:
            case CommandType.Replace:
            case CommandType.Append:
            case CommandType.Prepend:
            case CommandType.Cas:
                outcome = ExecuteStorage(ref line, payload, output, out next);
                break;
            case CommandType.Delete:
                ExecuteDelete(ref line, output);
                break;
            case CommandType.Incr:
            case CommandType.Decr:
                ExecuteArithmetic(ref line, output);
                break;
            case CommandType.Touch:
                ExecuteTouch(ref line, output);
                break;
            case CommandType.FlushAll:
                ExecuteFlushAll(ref line, output);
                break;
            case CommandType.Version:
                output.Write(Replies.Version);
                _metrics.RecordCommand(CommandType.Version, CommandResult.Ok);
                break;
            case CommandType.CacheMemlimit:
                ExecuteCacheMemlimit(ref line, output);
                break;
            case CommandType.Verbosity:
                ExecuteVerbosity(ref line, output);
                break;
            case CommandType.Stats:
                ExecuteStats(ref line, output);
                break;
            case CommandType.Quit:
                _metrics.RecordCommand(CommandType.Quit, CommandResult.Ok);
                outcome = CommandOutcome.Close;
                break;
            case CommandType.MetaGet:
                ExecuteMetaGet(ref line, output);
                break;
            case CommandType.MetaSet:
                outcome = ExecuteMetaSet(ref line, payload, output, out next);
                break;
            case CommandType.MetaDelete:
                ExecuteMetaDelete(ref line, output);
                break;
            case CommandType.MetaArithmetic:
                ExecuteMetaArithmetic(ref line, output);
                break;
            case CommandType.MetaNoop:
                output.Write(Replies.MetaNoop);
                _metrics.RecordCommand(CommandType.MetaNoop, CommandResult.Ok);
                break;
            case CommandType.MetaDebug:
                ExecuteMetaDebug(ref line, output);
                break;
            case CommandType.Shutdown:
                output.Write(Replies.ShutdownNotEnabled);
                _metrics.RecordCommand(CommandType.Shutdown, CommandResult.ClientError);
                break;
            default:
                output.Write(Replies.Error);
                _metrics.RecordCommand(CommandType.Unknown, CommandResult.ClientError);
                break;
        }

        if (_timeCommands && outcome is not (CommandOutcome.NeedMoreData or CommandOutcome.Suspended))
            _metrics.RecordLatency(line.Command, started);
        return outcome;
    }

    /// <summary>Writes a reply unless the client asked for none (noreply silences errors too, as in memcached).</summary>
    private static void Reply(PipeWriter output, ReadOnlySpan<byte> reply, bool noReply)
    {
        if (!noReply)
            output.Write(reply);
    }

    private static bool IsCrLf(in ReadOnlySequence<byte> terminator)
    {
        Span<byte> two = stackalloc byte[2];
        terminator.CopyTo(two);
        return two[0] == (byte)'\r' && two[1] == (byte)'\n';
    }

    /// <summary>Commands that change items: refused while this node is a read-only replica.</summary>
    private static bool IsClientWrite(CommandType command) => command is CommandType.Set or CommandType.Add
        or CommandType.Replace or CommandType.Append or CommandType.Prepend or CommandType.Cas or CommandType.Delete
        or CommandType.Incr or CommandType.Decr or CommandType.Touch or CommandType.FlushAll or CommandType.MetaSet
        or CommandType.MetaDelete or CommandType.MetaArithmetic;

    /// <summary>
    /// Answers a write on a replica without applying it; a data block that follows is dropped as it arrives,
    /// so the next request is read where it starts.
    /// </summary>
    private void RefuseWriteOnReplica(ref RequestLine line, PipeWriter output)
    {
        var lengthToken = line.Command switch
        {
            CommandType.MetaSet => 2,
            CommandType.Set or CommandType.Add or CommandType.Replace or CommandType.Append or CommandType.Prepend
                or CommandType.Cas => 4,
            _ => -1,
        };
        if (lengthToken > 0 && line.Count > lengthToken && ProtocolNumbers.TryParseInt32(line[lengthToken], out var length) && length >= 0)
            _swallowRemaining = length + 2L;
        Reply(output, Replies.ReadOnlyReplica, line.IsNoReply);
        _metrics.RecordCommand(line.Command, CommandResult.ServerError);
    }
}
