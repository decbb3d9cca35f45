using System.Buffers;
using System.Runtime.CompilerServices;

namespace CacheOperator.Protocol;

/// <summary>
/// Finds request lines in received bytes. It does no I/O: it says whether a whole line is there and where
/// the caller should resume, so a partial frame is examined once and never re-scanned in a spin.
/// </summary>
public static class RequestParser
{
    /// <summary>
    /// Looks for one line at the start of <paramref name="buffer"/>. A line that spans several segments is
    /// copied into <paramref name="scratch"/>, which also bounds its length.
    /// </summary>
    /// <param name="buffer">Received bytes, starting at a request.</param>
    /// <param name="scratch">Room for a line split across segments; its length is the longest line accepted.</param>
    /// <param name="line">The line without its LF and the CR before it, when complete.</param>
    /// <param name="next">Where the bytes after the line's LF start, when complete.</param>
    public static LineStatus TryReadLine(in ReadOnlySequence<byte> buffer, Span<byte> scratch,
        out ReadOnlySpan<byte> line, out SequencePosition next)
    {
        var first = buffer.FirstSpan;
        var newline = first.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            line = TrimCarriageReturn(first[..newline]);
            next = buffer.GetPosition(newline + 1);
            return LineStatus.Complete;
        }

        if (buffer.IsSingleSegment)
        {
            line = default;
            next = buffer.Start;
            return first.Length > scratch.Length ? LineStatus.TooLong : LineStatus.Incomplete;
        }

        return TryReadMultiSegmentLine(buffer, scratch, out line, out next);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static LineStatus TryReadMultiSegmentLine(in ReadOnlySequence<byte> buffer, Span<byte> scratch,
        out ReadOnlySpan<byte> line, out SequencePosition next)
    {
        line = default;
        next = buffer.Start;
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is not { } position)
            return buffer.Length > scratch.Length ? LineStatus.TooLong : LineStatus.Incomplete;

        var lineBytes = buffer.Slice(buffer.Start, position);
        if (lineBytes.Length > scratch.Length)
            return LineStatus.TooLong;

        var length = (int)lineBytes.Length;
        lineBytes.CopyTo(scratch);
        line = TrimCarriageReturn(scratch[..length]);
        next = buffer.GetPosition(1, position);
        return LineStatus.Complete;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
