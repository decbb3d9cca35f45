using System.Buffers;
using CacheOperator.Protocol;

namespace CacheOperator.Router.Backends;

/// <summary>
/// Finds where one reply ends in a backend's byte stream. memcached answers in request order, so knowing the
/// kind of the oldest request in flight is enough to split the stream into replies without copying it.
/// </summary>
internal static class ReplyFramer
{
    /// <summary>Header lines are examined up to this length; sizes sit near their start.</summary>
    private const int HeaderScan = 512;

    public static FrameResult TryFrame(in ReadOnlySequence<byte> buffer, ReplyKind kind, out long length)
    {
        length = 0;
        var reader = new SequenceReader<byte>(buffer);
        Span<byte> head = stackalloc byte[HeaderScan];
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> lineBytes, (byte)'\n'))
                return FrameResult.Incomplete;
            var line = Head(lineBytes, head);
            switch (kind)
            {
                case ReplyKind.Line:
                    length = reader.Consumed;
                    return FrameResult.Complete;
                case ReplyKind.Meta:
                    if (line.StartsWith("VA "u8))
                    {
                        var skip = SkipData(ref reader, line, 1);
                        if (skip != FrameResult.Complete)
                            return skip;
                    }

                    length = reader.Consumed;
                    return FrameResult.Complete;
                case ReplyKind.Retrieval:
                    if (line.StartsWith("VALUE "u8))
                    {
                        var skip = SkipData(ref reader, line, 3);
                        if (skip != FrameResult.Complete)
                            return skip;
                        continue;
                    }

                    length = reader.Consumed;
                    return FrameResult.Complete;
                default:
                    if (line.SequenceEqual("MN"u8))
                    {
                        length = reader.Consumed;
                        return FrameResult.Complete;
                    }

                    if (line.StartsWith("VA "u8) || line.StartsWith("VALUE "u8))
                    {
                        var skip = SkipData(ref reader, line, line.StartsWith("VA "u8) ? 1 : 3);
                        if (skip != FrameResult.Complete)
                            return skip;
                    }

                    continue;
            }
        }
    }

    /// <summary>
    /// The next part of a get's reply, for streaming it: one whole VALUE block (<paramref name="last"/> false), or
    /// the line that ends the reply (END or an error; <paramref name="last"/> true).
    /// </summary>
    public static FrameResult TryFrameRetrievalPart(in ReadOnlySequence<byte> buffer, out long length, out bool last)
    {
        length = 0;
        last = false;
        var reader = new SequenceReader<byte>(buffer);
        Span<byte> head = stackalloc byte[HeaderScan];
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineBytes, (byte)'\n'))
            return FrameResult.Incomplete;
        var line = Head(lineBytes, head);
        if (line.StartsWith("VALUE "u8))
        {
            var skip = SkipData(ref reader, line, 3);
            if (skip != FrameResult.Complete)
                return skip;
        }
        else
        {
            last = true;
        }

        length = reader.Consumed;
        return FrameResult.Complete;
    }

    /// <summary>The line without CR, copied when it spans segments or is long (only its start matters).</summary>
    private static ReadOnlySpan<byte> Head(in ReadOnlySequence<byte> lineBytes, Span<byte> scratch)
    {
        ReadOnlySpan<byte> line;
        if (lineBytes.IsSingleSegment && lineBytes.FirstSpan.Length <= scratch.Length)
            line = lineBytes.FirstSpan;
        else
        {
            var n = (int)Math.Min(lineBytes.Length, scratch.Length);
            lineBytes.Slice(0, n).CopyTo(scratch);
            line = scratch[..n];
        }

        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    private static FrameResult SkipData(ref SequenceReader<byte> reader, scoped ReadOnlySpan<byte> line, int sizeToken)
    {
        var parsed = RequestLine.Parse(line);
        if (parsed.Count <= sizeToken || !ProtocolNumbers.TryParseInt64(parsed[sizeToken], out var size) || size < 0)
            return FrameResult.Invalid;
        if (reader.Remaining < size + 2)
            return FrameResult.Incomplete;
        reader.Advance(size + 2);
        return FrameResult.Complete;
    }
}
