using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>set, add, replace, append, prepend, cas: a command line, then a data block of bytes + CRLF.</summary>
public sealed partial class MemcachedSession
{
    private CommandOutcome ExecuteStorage(ref RequestLine line, in ReadOnlySequence<byte> payload, PipeWriter output,
        out SequencePosition next)
    {
        next = payload.Start;
        var command = line.Command;
        var kind = command;
        var isCas = command == CommandType.Cas;
        var tokens = line.MemcachedTokenCount;
        if (isCas ? tokens is not (7 or 8) : tokens is not (6 or 7))
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return CommandOutcome.Done;
        }

        var noReply = line.IsNoReply;
        var key = line[1];
        ulong compareCas = 0;
        if (key.Length > CacheStore.MaxKeyLength
            || !ProtocolNumbers.TryParseFlags(line[2], out var flags)
            || !ProtocolNumbers.TryParseInt32(line[3], out var exptime)
            || !ProtocolNumbers.TryParseInt32(line[4], out var length)
            || (isCas && !ProtocolNumbers.TryParseUInt64(line[5], out compareCas))
            || length < 0 || length > int.MaxValue - 2)
        {
            // No data block is skipped here: memcached reads it as the next command, and so do we.
            Reply(output, Replies.BadCommandLineFormat, noReply);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return CommandOutcome.Done;
        }

        if (length > MaxValueLength(key.Length, flags))
        {
            Reply(output, Replies.TooLarge, noReply);
            _swallowRemaining = length + 2L;
            // As memcached does, a failed set must not leave the old value to be served.
            if (command == CommandType.Set)
                _store.Delete(key, default);
            _metrics.RecordCommand(kind, CommandResult.ServerError);
            return CommandOutcome.Done;
        }

        if (payload.Length < length + 2L)
            return CommandOutcome.NeedMoreData;

        var data = payload.Slice(0, length);
        var terminator = payload.Slice(length, 2);
        next = terminator.End;
        if (!IsCrLf(terminator))
        {
            Reply(output, Replies.BadDataChunk, noReply);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return CommandOutcome.Done;
        }

        var request = new StoreRequest(ToMode(command), flags, exptime) { CompareCas = compareCas };
        var result = _store.Store(key, request, data, out _);
        var recorded = result switch
        {
            StoreResult.Stored => CommandResult.Stored,
            StoreResult.NotStored => CommandResult.NotStored,
            StoreResult.Exists => CommandResult.Exists,
            StoreResult.NotFound => CommandResult.NotFound,
            _ => CommandResult.ServerError,
        };
        Reply(output, TextStoreReply(result), noReply);
        _metrics.RecordCommand(kind, recorded);
        return CommandOutcome.Done;
    }

    /// <summary>
    /// The largest value memcached 1.6 takes with this key and flags: its item is a 48-byte header, an 8-byte
    /// CAS, the key and a NUL, 4 bytes of flags when they are not zero, and the value with its CRLF. Clients
    /// see the same SERVER_ERROR boundary here, even though our own items are smaller.
    /// </summary>
    private int MaxValueLength(int keyLength, uint flags)
    {
        const int memcachedItemOverhead = 48 + 8 + 1 + 2;
        var memcachedLimit = _options.MaxItemSize - memcachedItemOverhead - keyLength - (flags != 0 ? sizeof(uint) : 0);
        return Math.Min(memcachedLimit, _store.MaxValueLength(keyLength));
    }

    private static ReadOnlySpan<byte> TextStoreReply(StoreResult result) => result switch
    {
        StoreResult.Stored => Replies.Stored,
        StoreResult.NotStored => Replies.NotStored,
        StoreResult.Exists => Replies.Exists,
        StoreResult.NotFound => Replies.NotFound,
        StoreResult.TooLarge => Replies.TooLarge,
        _ => Replies.OutOfMemory,
    };

    private static StoreMode ToMode(CommandType command) => command switch
    {
        CommandType.Add => StoreMode.Add,
        CommandType.Replace => StoreMode.Replace,
        CommandType.Append => StoreMode.Append,
        CommandType.Prepend => StoreMode.Prepend,
        CommandType.Cas => StoreMode.Cas,
        _ => StoreMode.Set,
    };
}
