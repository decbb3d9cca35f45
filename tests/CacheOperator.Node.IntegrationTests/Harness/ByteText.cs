using System.Globalization;
using System.Text;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>Readable, unambiguous renderings of protocol bytes for assertion messages.</summary>
public static class ByteText
{
    /// <summary>Runs longer than this are shown as one byte and a count, so 1 MiB values stay readable.</summary>
    private const int RunThreshold = 32;

    /// <summary>
    /// Escapes a Latin-1 string (one char per byte): printable ASCII as is, CR and LF as \r and \n (with a real
    /// line break after \n), everything else as \xHH, long runs of one byte compressed.
    /// </summary>
    public static string Escape(string latin1)
    {
        var text = new StringBuilder(Math.Min(latin1.Length, 1 << 16) + 16);
        for (var i = 0; i < latin1.Length;)
        {
            var c = latin1[i];
            var run = 1;
            while (i + run < latin1.Length && latin1[i + run] == c)
            {
                run++;
            }

            if (run > RunThreshold)
            {
                text.Append('{');
                AppendChar(text, c);
                text.Append('*').Append(run.ToString(CultureInfo.InvariantCulture)).Append('}');
                i += run;
                continue;
            }

            AppendChar(text, c);
            i++;
        }

        return text.ToString();
    }

    private static void AppendChar(StringBuilder text, char c)
    {
        switch (c)
        {
            case '\r':
                text.Append("\\r");
                break;
            case '\n':
                text.Append("\\n\n");
                break;
            case '\\':
                text.Append("\\\\");
                break;
            case '{':
                text.Append("\\{");
                break;
            case >= ' ' and < '\u007f':
                text.Append(c);
                break;
            default:
                text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                break;
        }
    }
}
