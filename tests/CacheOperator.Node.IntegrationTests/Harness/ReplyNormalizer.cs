using System.Globalization;
using System.Text;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// Rewrites the few reply tokens that legitimately differ between two correct servers, and nothing else:
/// <list type="bullet">
/// <item>CAS values (VALUE's 5th token, the meta "c" flag, me's "cas="): each server numbers its own writes, so a
/// CAS becomes "#n", n counting distinct values in order of appearance. Equal CAS stay equal, distinct stay
/// distinct, so the structure (did the CAS change?) is still compared.</item>
/// <item>STAT values: uptime, pid, counters and sizes describe the process, not the protocol; names are kept.</item>
/// <item>VERSION's token: we are not memcached 1.6.18 and should not claim to be.</item>
/// <item>me's la=, cls= and size=: seconds since access (clock-dependent) and memcached's slab class and
/// allocation size (allocator internals).</item>
/// </list>
/// Value bytes after VALUE and VA lines are copied verbatim, never parsed as lines.
/// </summary>
public static class ReplyNormalizer
{
    private static readonly string[] MetaStatusCodes = ["HD", "EN", "NF", "NS", "EX", "MN"];

    public static string Normalize(byte[] reply)
    {
        var numbering = new Dictionary<string, int>(StringComparer.Ordinal);
        var output = new StringBuilder(reply.Length + 16);
        Walk(Encoding.Latin1.GetString(reply), output, cas =>
        {
            if (!numbering.TryGetValue(cas, out var n))
            {
                n = numbering.Count + 1;
                numbering[cas] = n;
            }

            return "#" + n.ToString(CultureInfo.InvariantCulture);
        });
        return output.ToString();
    }

    /// <summary>The last CAS value in a reply, as the server wrote it; null if there is none.</summary>
    public static string? LastCas(byte[] reply)
    {
        string? last = null;
        Walk(Encoding.Latin1.GetString(reply), output: null, cas =>
        {
            last = cas;
            return cas;
        });
        return last;
    }

    private static void Walk(string reply, StringBuilder? output, Func<string, string> mapCas)
    {
        var position = 0;
        while (position < reply.Length)
        {
            var newline = reply.IndexOf('\n', position);
            if (newline < 0)
            {
                output?.Append(reply, position, reply.Length - position);
                return;
            }

            var lineEnd = newline > position && reply[newline - 1] == '\r' ? newline - 1 : newline;
            var tokens = reply[position..lineEnd].Split(' ');
            var terminator = reply[lineEnd..(newline + 1)];
            position = newline + 1;

            var dataLength = RewriteLine(ref tokens, mapCas);
            output?.Append(string.Join(' ', tokens)).Append(terminator);

            if (dataLength is { } length)
            {
                // The data block and its CRLF are payload: copied, never interpreted.
                var take = (int)Math.Min((long)length + 2, reply.Length - position);
                output?.Append(reply, position, take);
                position += take;
            }
        }
    }

    /// <summary>Rewrites tokens in place; returns the length of the data block that follows, if any.</summary>
    private static int? RewriteLine(ref string[] tokens, Func<string, string> mapCas)
    {
        switch (tokens[0])
        {
            case "VALUE" when tokens.Length >= 4 && TryLength(tokens[3], out var valueLength):
                if (tokens.Length >= 5)
                {
                    tokens[4] = mapCas(tokens[4]);
                }

                return valueLength;
            case "VA" when tokens.Length >= 2 && TryLength(tokens[1], out var metaLength):
                RewriteMetaFlags(tokens, 2, mapCas);
                return metaLength;
            case "STAT" when tokens.Length >= 3:
                // A value may itself contain spaces; all of it goes.
                tokens = [tokens[0], tokens[1], "*"];
                return null;
            case "VERSION" when tokens.Length >= 2:
                tokens[1] = "*";
                return null;
            case "ME" when tokens.Length >= 2:
                for (var i = 2; i < tokens.Length; i++)
                {
                    tokens[i] = RewriteDebugPair(tokens[i], mapCas);
                }

                return null;
            default:
                if (Array.IndexOf(MetaStatusCodes, tokens[0]) >= 0)
                {
                    RewriteMetaFlags(tokens, 1, mapCas);
                }

                return null;
        }
    }

    private static void RewriteMetaFlags(string[] tokens, int first, Func<string, string> mapCas)
    {
        for (var i = first; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Length > 1 && token[0] == 'c' && IsDigits(token.AsSpan(1)))
            {
                tokens[i] = "c" + mapCas(token[1..]);
            }
        }
    }

    private static string RewriteDebugPair(string token, Func<string, string> mapCas)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return token;
        }

        var name = token[..equals];
        var value = token[(equals + 1)..];
        return name switch
        {
            "cas" => "cas=" + mapCas(value),
            "la" or "cls" or "size" => name + "=*",
            _ => token,
        };
    }

    private static bool TryLength(string token, out int length) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out length);

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
