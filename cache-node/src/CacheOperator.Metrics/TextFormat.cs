using System.Buffers;
using System.Globalization;
using System.Text;

namespace CacheOperator.Metrics;

/// <summary>The Prometheus text exposition format 0.0.4: names, escaping, numbers, sample lines.</summary>
internal static class TextFormat
{
    /// <summary>Longest formatted double: sign, 17 digits, point, "e", sign, three exponent digits, with room to spare.</summary>
    private const int MaxDoubleLength = 32;

    public static bool IsValidMetricName(string name)
    {
        if (string.IsNullOrEmpty(name))
            return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
                return false;
        }
        return true;
    }

    /// <summary>Label names are metric names without colons; names starting "__" are Prometheus' own.</summary>
    public static bool IsValidLabelName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith("__", StringComparison.Ordinal))
            return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
                return false;
        }
        return true;
    }

    /// <summary>HELP text escapes backslash and newline.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Label values also escape the double quote.</summary>
    public static string EscapeLabelValue(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Renders <c>a="x",b="y"</c> (no braces) as UTF-8.</summary>
    public static byte[] RenderLabels(ReadOnlySpan<(string Name, string Value)> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (text.Length > 0)
                text.Append(',');
            text.Append(name).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Writes <c>name suffix{labels,extra} value\n</c>.</summary>
    public static void WriteSample(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix,
        ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extraLabel, double value)
    {
        int length = name.Length + suffix.Length + labels.Length + extraLabel.Length + 4 + MaxDoubleLength;
        Span<byte> span = output.GetSpan(length);
        int at = 0;
        name.CopyTo(span);
        at += name.Length;
        suffix.CopyTo(span[at..]);
        at += suffix.Length;
        if (labels.Length + extraLabel.Length > 0)
        {
            span[at++] = (byte)'{';
            labels.CopyTo(span[at..]);
            at += labels.Length;
            if (labels.Length > 0 && extraLabel.Length > 0)
                span[at++] = (byte)',';
            extraLabel.CopyTo(span[at..]);
            at += extraLabel.Length;
            span[at++] = (byte)'}';
        }
        span[at++] = (byte)' ';
        at += FormatDouble(value, span[at..]);
        span[at++] = (byte)'\n';
        output.Advance(at);
    }

    /// <summary>A double as a string, the way <see cref="FormatDouble(double, Span{byte})"/> writes it.</summary>
    public static string FormatDouble(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxDoubleLength];
        return Encoding.ASCII.GetString(buffer[..FormatDouble(value, buffer)]);
    }

    /// <summary>
    /// Formats as Prometheus' Go client does: "+Inf", "-Inf", "NaN", otherwise the shortest digits that
    /// round-trip, laid out like Go's strconv 'g' with precision -1: exponent form when the decimal exponent
    /// is below -4 or at least 6 (1e+06, 1.5e-05, 6.7108864e+07), plain otherwise (123456, 0.0001).
    /// </summary>
    public static int FormatDouble(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
            return Copy("NaN"u8, destination);
        if (double.IsPositiveInfinity(value))
            return Copy("+Inf"u8, destination);
        if (double.IsNegativeInfinity(value))
            return Copy("-Inf"u8, destination);
        if (value == 0)
            return Copy("0"u8, destination);

        // .NET's "R" gives the shortest round-trip digits; we only re-lay them out.
        Span<char> text = stackalloc char[MaxDoubleLength];
        value.TryFormat(text, out int textLength, "R", CultureInfo.InvariantCulture);
        text = text[..textLength];

        int at = 0;
        if (text[0] == '-')
        {
            destination[at++] = (byte)'-';
            text = text[1..];
        }

        int exponent = 0;
        int e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        // digits d1..dn with value = 0.d1..dn * 10^pointPosition
        Span<byte> digits = stackalloc byte[MaxDoubleLength];
        int count = 0;
        int pointPosition = 0;
        bool seenPoint = false;
        foreach (char c in text)
        {
            if (c == '.')
            {
                seenPoint = true;
                continue;
            }
            if (count == 0 && c == '0')
            {
                // leading zeros of 0.000ddd move the point, they are not digits
                if (seenPoint)
                    pointPosition--;
                continue;
            }
            digits[count++] = (byte)c;
            if (!seenPoint)
                pointPosition++;
        }
        while (count > 1 && digits[count - 1] == '0')
            count--;
        pointPosition += exponent;

        int decimalExponent = pointPosition - 1;
        if (decimalExponent < -4 || decimalExponent >= 6)
        {
            return at + WriteExponent(digits[..count], decimalExponent, destination[at..]);
        }
        return at + WritePlain(digits[..count], pointPosition, destination[at..]);
    }

    private static int WriteExponent(ReadOnlySpan<byte> digits, int exponent, Span<byte> destination)
    {
        int at = 0;
        destination[at++] = digits[0];
        if (digits.Length > 1)
        {
            destination[at++] = (byte)'.';
            digits[1..].CopyTo(destination[at..]);
            at += digits.Length - 1;
        }
        destination[at++] = (byte)'e';
        destination[at++] = exponent < 0 ? (byte)'-' : (byte)'+';
        int magnitude = Math.Abs(exponent);
        if (magnitude < 10)
            destination[at++] = (byte)'0';
        magnitude.TryFormat(destination[at..], out int written, default, CultureInfo.InvariantCulture);
        return at + written;
    }

    private static int WritePlain(ReadOnlySpan<byte> digits, int pointPosition, Span<byte> destination)
    {
        int at = 0;
        if (pointPosition <= 0)
        {
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            for (int i = pointPosition; i < 0; i++)
                destination[at++] = (byte)'0';
            digits.CopyTo(destination[at..]);
            return at + digits.Length;
        }
        for (int i = 0; i < Math.Max(pointPosition, digits.Length); i++)
        {
            if (i == pointPosition)
                destination[at++] = (byte)'.';
            destination[at++] = i < digits.Length ? digits[i] : (byte)'0';
        }
        return at;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
