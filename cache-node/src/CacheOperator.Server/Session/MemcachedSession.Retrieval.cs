using System.Buffers;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>get, gets, gat, gats.</summary>
public sealed partial class MemcachedSession
{
    /// <summary>
    /// Where a suspended multi-get goes on: the offset in its line of the first key not yet answered (0 when no
    /// multi-get is suspended). A key list is never answered twice, so gat touches each key once.
    /// </summary>
    private int _retrievalResumeOffset;

    private CommandOutcome ExecuteRetrieval(ref RequestLine line, PipeWriter output)
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
            return CommandOutcome.Done;
        }

        var options = GetOptions.Default;
        if (touch)
        {
            if (!ProtocolNumbers.TryParseInt32(line[1], out var exptime))
            {
                output.Write(Replies.InvalidExptime);
                _metrics.RecordCommand(kind, CommandResult.ClientError);
                return CommandOutcome.Done;
            }

            options.Touch = true;
            options.TouchExptime = exptime;
        }

        var resuming = _retrievalResumeOffset > 0;
        var keys = resuming ? new KeyEnumerator(line.Text[_retrievalResumeOffset..]) : line.KeysFrom(firstKey);
        _retrievalResumeOffset = 0;

        // memcached answers a multi-get with one overlong key by the error alone, so check every key first
        // (a resumed line was checked when it started).
        if (!resuming)
        {
            foreach (var key in line.KeysFrom(firstKey))
            {
                if (key.Length > CacheStore.MaxKeyLength)
                {
                    output.Write(Replies.BadCommandLineFormat);
                    _metrics.RecordCommand(kind, CommandResult.ClientError);
                    return CommandOutcome.Done;
                }
            }
        }

        var reader = new TextValueReader(output, command is CommandType.Gets or CommandType.Gats);
        while (keys.MoveNext())
        {
            var hit = _store.TryGet(keys.Current, options, ref reader);
            _metrics.RecordCommand(kind, hit ? CommandResult.Hit : CommandResult.Miss);

            // Values are copied into the reply, so thousands of keys naming large items would otherwise build a
            // reply of gigabytes in memory before the first byte is sent. Past the threshold the session flushes
            // (waiting for a slow reader) and comes back here.
            if (output.CanGetUnflushedBytes && output.UnflushedBytes >= OutputFlushThreshold
                && keys.Rest.IndexOfAnyExcept((byte)' ') >= 0)
            {
                _retrievalResumeOffset = line.Text.Length - keys.Rest.Length;
                return CommandOutcome.Suspended;
            }
        }

        output.Write(Replies.End);
        return CommandOutcome.Done;
    }
}
