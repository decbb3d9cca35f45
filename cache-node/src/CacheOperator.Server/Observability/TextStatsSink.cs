using System.Buffers;
using System.Buffers.Text;

namespace CacheOperator.Server.Observability;

/// <summary>Writes "STAT name value\r\n" lines straight into the reply buffer.</summary>
internal readonly struct TextStatsSink(IBufferWriter<byte> output) : IStatsSink
{
    /// <summary>Room for a long or a formatted double.</summary>
    private const int MaxNumberLength = 32;

    public void Add(ReadOnlySpan<byte> name, long value)
    {
        Span<byte> span = Begin(name, MaxNumberLength, out int at);
        Utf8Formatter.TryFormat(value, span[at..], out int written);
        End(span, at + written);
    }

    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Span<byte> span = Begin(name, value.Length, out int at);
        value.CopyTo(span[at..]);
        End(span, at + value.Length);
    }

    public void Add(ReadOnlySpan<byte> name, double value, int decimals)
    {
        Span<byte> span = Begin(name, MaxNumberLength, out int at);
        Utf8Formatter.TryFormat(value, span[at..], out int written, new StandardFormat('F', (byte)decimals));
        End(span, at + written);
    }

    public void End() => output.Write("END\r\n"u8);

    private Span<byte> Begin(ReadOnlySpan<byte> name, int valueLength, out int at)
    {
        Span<byte> span = output.GetSpan(5 + name.Length + 1 + valueLength + 2);
        "STAT "u8.CopyTo(span);
        name.CopyTo(span[5..]);
        at = 5 + name.Length;
        span[at++] = (byte)' ';
        return span;
    }

    private void End(Span<byte> span, int at)
    {
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        output.Advance(at);
    }
}
