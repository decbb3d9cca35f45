using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>delete, incr, decr, touch, flush_all, verbosity, stats.</summary>
public sealed partial class MemcachedSession
{
    private void ExecuteDelete(ref RequestLine line, PipeWriter output)
    {
        var tokens = line.MemcachedTokenCount;
        if (tokens is < 3 or > 5)
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(CommandType.Delete, CommandResult.ClientError);
            return;
        }

        var noReply = line.IsNoReply;
        if (tokens > 3)
        {
            // The legacy "delete <key> 0" form is still accepted; any other hold time is not.
            var holdIsZero = line[2].SequenceEqual("0"u8);
            var valid = (tokens == 4 && (holdIsZero || noReply)) || (tokens == 5 && holdIsZero && noReply);
            if (!valid)
            {
                Reply(output, Replies.DeleteUsage, noReply);
                _metrics.RecordCommand(CommandType.Delete, CommandResult.ClientError);
                return;
            }
        }

        var key = line[1];
        if (key.Length > CacheStore.MaxKeyLength)
        {
            Reply(output, Replies.BadCommandLineFormat, noReply);
            _metrics.RecordCommand(CommandType.Delete, CommandResult.ClientError);
            return;
        }

        var deleted = _store.Delete(key, default) == DeleteResult.Deleted;
        Reply(output, deleted ? Replies.Deleted : Replies.NotFound, noReply);
        _metrics.RecordCommand(CommandType.Delete, deleted ? CommandResult.Deleted : CommandResult.NotFound);
    }

    private void ExecuteArithmetic(ref RequestLine line, PipeWriter output)
    {
        var kind = line.Command;
        if (line.MemcachedTokenCount is not (4 or 5))
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return;
        }

        var noReply = line.IsNoReply;
        var key = line[1];
        if (key.Length > CacheStore.MaxKeyLength)
        {
            Reply(output, Replies.BadCommandLineFormat, noReply);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return;
        }

        if (!ProtocolNumbers.TryParseUInt64(line[2], out var delta))
        {
            Reply(output, Replies.InvalidDelta, noReply);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return;
        }

        var request = new ArithmeticRequest(line.Command == CommandType.Incr, delta);
        switch (_store.Arithmetic(key, request, out var outcome))
        {
            case ArithmeticResult.Ok:
                if (!noReply)
                    ReplyWriter.WriteNumberLine(output, outcome.Value);
                _metrics.RecordCommand(kind, CommandResult.Hit);
                break;
            case ArithmeticResult.NonNumeric:
                Reply(output, Replies.NonNumeric, noReply);
                _metrics.RecordCommand(kind, CommandResult.ClientError);
                break;
            case ArithmeticResult.NotFound:
                Reply(output, Replies.NotFound, noReply);
                _metrics.RecordCommand(kind, CommandResult.Miss);
                break;
            default:
                Reply(output, Replies.OutOfMemory, noReply);
                _metrics.RecordCommand(kind, CommandResult.ServerError);
                break;
        }
    }

    private void ExecuteTouch(ref RequestLine line, PipeWriter output)
    {
        if (line.MemcachedTokenCount is not (4 or 5))
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(CommandType.Touch, CommandResult.ClientError);
            return;
        }

        var noReply = line.IsNoReply;
        var key = line[1];
        if (key.Length > CacheStore.MaxKeyLength)
        {
            Reply(output, Replies.BadCommandLineFormat, noReply);
            _metrics.RecordCommand(CommandType.Touch, CommandResult.ClientError);
            return;
        }

        if (!ProtocolNumbers.TryParseInt32(line[2], out var exptime))
        {
            Reply(output, Replies.InvalidExptime, noReply);
            _metrics.RecordCommand(CommandType.Touch, CommandResult.ClientError);
            return;
        }

        var touched = _store.Touch(key, exptime);
        Reply(output, touched ? Replies.Touched : Replies.NotFound, noReply);
        _metrics.RecordCommand(CommandType.Touch, touched ? CommandResult.Touched : CommandResult.NotFound);
    }

    private void ExecuteFlushAll(ref RequestLine line, PipeWriter output)
    {
        var tokens = line.MemcachedTokenCount;
        if (tokens is < 2 or > 4)
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(CommandType.FlushAll, CommandResult.ClientError);
            return;
        }

        var noReply = line.IsNoReply;
        var delay = 0;
        if (tokens != (noReply ? 3 : 2) && !ProtocolNumbers.TryParseInt32(line[1], out delay))
        {
            Reply(output, Replies.InvalidExptime, noReply);
            _metrics.RecordCommand(CommandType.FlushAll, CommandResult.ClientError);
            return;
        }

        _store.FlushAll(Math.Max(0, delay));
        Reply(output, Replies.Ok, noReply);
        _metrics.RecordCommand(CommandType.FlushAll, CommandResult.Ok);
    }

    /// <summary>
    /// cache_memlimit &lt;MiB&gt; [noreply], as memcached: at least 8 MiB; the number is read as memcached's
    /// 32-bit unsigned (so 4294967296 wraps to 0 and is too small). Raising takes effect at once; lowering
    /// bounds the items kept, while segments already allocated stay with the process.
    /// </summary>
    private void ExecuteCacheMemlimit(ref RequestLine line, PipeWriter output)
    {
        if (line.MemcachedTokenCount is not (3 or 4) || !ProtocolNumbers.TryParseUInt64(line[1], out var requested))
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(CommandType.CacheMemlimit, CommandResult.ClientError);
            return;
        }

        var megabytes = (uint)requested;
        if (megabytes < 8)
        {
            output.Write(Replies.MemlimitTooSmall);
            _metrics.RecordCommand(CommandType.CacheMemlimit, CommandResult.ClientError);
            return;
        }

        _store.SetMemoryLimit((long)megabytes * 1024 * 1024);
        Reply(output, Replies.Ok, line.IsNoReply);
        _metrics.RecordCommand(CommandType.CacheMemlimit, CommandResult.Ok);
    }

    private void ExecuteVerbosity(ref RequestLine line, PipeWriter output)
    {
        if (line.MemcachedTokenCount is not (3 or 4))
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(CommandType.Verbosity, CommandResult.ClientError);
            return;
        }

        var noReply = line.IsNoReply;
        var valid = ProtocolNumbers.TryParseUInt64(line[1], out _);
        Reply(output, valid ? Replies.Ok : Replies.BadCommandLineFormat, noReply);
        _metrics.RecordCommand(CommandType.Verbosity, valid ? CommandResult.Ok : CommandResult.ClientError);
    }

    private void ExecuteStats(ref RequestLine line, PipeWriter output)
    {
        var group = line.Count > 1 ? line[1] : default;
        if (group.SequenceEqual("reset"u8))
        {
            _stats.Reset();
            output.Write(Replies.Reset);
        }
        else if (group.SequenceEqual("detail"u8))
        {
            // Per-prefix detail is not collected: on and off are accepted, and a dump is empty.
            var action = line.Count > 2 ? line[2] : default;
            if (action.SequenceEqual("on"u8) || action.SequenceEqual("off"u8))
                output.Write(Replies.Ok);
            else if (action.SequenceEqual("dump"u8))
                output.Write(Replies.End);
            else
                output.Write(Replies.StatsDetailUsage);
        }
        else if (!_stats.TryWrite(group, output))
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(CommandType.Stats, CommandResult.ClientError);
            return;
        }

        _metrics.RecordCommand(CommandType.Stats, CommandResult.Ok);
    }
}
