using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>get, gets, gat, gats.</summary>
public sealed partial class MemcachedSession
{
    private void ExecuteRetrieval(ref RequestLine line, PipeWriter output)
    {
        var command = line.Command;
        var kind = command;
        var touch = command is CommandType.Gat or CommandType.Gats;
        var firstKey = touch ? 2 : 1;
        // A bare command is an error, but gat with an exptime and no key answers END, as memcached does.
        if (line.Count < 2)
        {
            output.Write(Replies.Error);
            _metrics.RecordCommand(kind, CommandResult.ClientError);
            return;
        }

        var options = GetOptions.Default;
        if (touch)
        {
            if (!ProtocolNumbers.TryParseInt32(line[1], out var exptime))
            {
                output.Write(Replies.InvalidExptime);
                _metrics.RecordCommand(kind, CommandResult.ClientError);
                return;
            }

            options.Touch = true;
            options.TouchExptime = exptime;
        }

        // memcached answers a multi-get with one overlong key by the error alone, so check every key first.
        foreach (var key in line.KeysFrom(firstKey))
        {
            if (key.Length > CacheStore.MaxKeyLength)
            {
                output.Write(Replies.BadCommandLineFormat);
                _metrics.RecordCommand(kind, CommandResult.ClientError);
                return;
            }
        }

        var reader = new TextValueReader(output, command is CommandType.Gets or CommandType.Gats);
        foreach (var key in line.KeysFrom(firstKey))
        {
            var hit = _store.TryGet(key, options, ref reader);
            _metrics.RecordCommand(kind, hit ? CommandResult.Hit : CommandResult.Miss);
        }

        output.Write(Replies.End);
    }
}
