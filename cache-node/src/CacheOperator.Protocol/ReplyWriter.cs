using System.Buffers;
using System.Buffers.Text;

namespace CacheOperator.Protocol;

/// <summary>Writes replies straight into the connection's output buffer; numbers are formatted in place.</summary>
public static class ReplyWriter
{
    /// <summary>Longest decimal form of a 64-bit number, with a sign.</summary>
    private const int MaxNumberLength = 20;

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(bytes);
    }

    /// <summary>"VALUE &lt;key&gt; &lt;flags&gt; &lt;bytes&gt;[ &lt;cas&gt;]\r\n&lt;data&gt;\r\n".</summary>
    public static void WriteValue(IBufferWriter<byte> output, ReadOnlySpan<byte> key, uint flags,
        ReadOnlySpan<byte> value, bool includeCas, ulong cas)
    {
        ArgumentNullException.ThrowIfNull(output);
        var headerMax = 6 + key.Length + 3 * (MaxNumberLength + 1) + 2;
        var span = output.GetSpan(headerMax + value.Length + 2);
        if (span.Length < headerMax + value.Length + 2)
        {
            // Too big for one buffer: the header and the data go separately.
            WriteValueHeader(output, key, flags, value.Length, includeCas, cas);
            output.Write(value);
            output.Write("\r\n"u8);
            return;
        }

        var n = FormatValueHeader(span, key, flags, value.Length, includeCas, cas);
        value.CopyTo(span[n..]);
        n += value.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }

    public static void WriteValueHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> key, uint flags, int length,
        bool includeCas, ulong cas)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(6 + key.Length + 3 * (MaxNumberLength + 1) + 2);
        output.Advance(FormatValueHeader(span, key, flags, length, includeCas, cas));
    }

    /// <summary>A number on a line of its own: incr/decr's reply.</summary>
    public static void WriteNumberLine(IBufferWriter<byte> output, ulong value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(MaxNumberLength + 2);
        Utf8Formatter.TryFormat(value, span, out var n);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }

    /// <summary>A number alone, no separator or line end.</summary>
    public static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(MaxNumberLength);
        Utf8Formatter.TryFormat(value, span, out var n);
        output.Advance(n);
    }

    /// <summary>A meta return flag with a numeric value: " c123".</summary>
    public static void WriteFlag(IBufferWriter<byte> output, byte flag, long value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(MaxNumberLength + 2);
        span[0] = (byte)' ';
        span[1] = flag;
        Utf8Formatter.TryFormat(value, span[2..], out var n);
        output.Advance(n + 2);
    }

    /// <summary>A meta return flag with an unsigned numeric value: " c18446744073709551615".</summary>
    public static void WriteFlag(IBufferWriter<byte> output, byte flag, ulong value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(MaxNumberLength + 2);
        span[0] = (byte)' ';
        span[1] = flag;
        Utf8Formatter.TryFormat(value, span[2..], out var n);
        output.Advance(n + 2);
    }

    /// <summary>A meta return flag echoing a token: " kfoo", " O123", or a bare " W".</summary>
    public static void WriteFlag(IBufferWriter<byte> output, byte flag, ReadOnlySpan<byte> token)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(token.Length + 2);
        span[0] = (byte)' ';
        span[1] = flag;
        token.CopyTo(span[2..]);
        output.Advance(token.Length + 2);
    }

    /// <summary>"VA &lt;size&gt;" without its line end: return flags follow.</summary>
    public static void WriteMetaValueHeader(IBufferWriter<byte> output, int size)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(MaxNumberLength + 3);
        span[0] = (byte)'V';
        span[1] = (byte)'A';
        span[2] = (byte)' ';
        Utf8Formatter.TryFormat(size, span[3..], out var n);
        output.Advance(n + 3);
    }

    private static int FormatValueHeader(Span<byte> span, ReadOnlySpan<byte> key, uint flags, int length,
        bool includeCas, ulong cas)
    {
        "VALUE "u8.CopyTo(span);
        var n = 6;
        key.CopyTo(span[n..]);
        n += key.Length;
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(flags, span[n..], out var written);
        n += written;
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(length, span[n..], out written);
        n += written;
        if (includeCas)
        {
            span[n++] = (byte)' ';
            Utf8Formatter.TryFormat(cas, span[n..], out written);
            n += written;
        }

        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        return n;
    }
}
