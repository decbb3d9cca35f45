using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CacheOperator.CrdGen;

/// <summary>
/// Writes a JSON tree as block-style YAML in the layout kubectl prints: two-space indents, list items at their
/// key's indent. A string is written plain only when no YAML reader could take it for anything but that string;
/// otherwise it is double-quoted.
/// </summary>
public static partial class YamlWriter
{
    public static string Write(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = new StringBuilder();
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                WriteObject(text, obj, 0);
                break;
            case JsonArray array when array.Count > 0:
                WriteArray(text, array, 0);
                break;
            default:
                text.Append(Scalar(node)).Append('\n');
                break;
        }

        return text.ToString();
    }

    private static void WriteObject(StringBuilder text, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            text.Append(' ', indent).Append(Scalar(JsonValue.Create(key))).Append(':');
            WriteValue(text, value, indent, inArray: false);
        }
    }

    private static void WriteArray(StringBuilder text, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            text.Append(' ', indent).Append('-');
            WriteValue(text, item, indent, inArray: true);
        }
    }

    /// <summary>Writes what follows "key:" or "-": a scalar on the same line, or a block below.</summary>
    private static void WriteValue(StringBuilder text, JsonNode? value, int indent, bool inArray)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                if (inArray)
                {
                    // "- key: value" with the item's other keys aligned under the first.
                    var inner = new StringBuilder();
                    WriteObject(inner, obj, indent + 2);
                    text.Append(' ').Append(inner.ToString(indent + 2, inner.Length - indent - 2));
                }
                else
                {
                    text.Append('\n');
                    WriteObject(text, obj, indent + 2);
                }

                break;
            case JsonArray array when array.Count > 0:
                text.Append('\n');
                // Sequences under a key sit at the key's indent; sequences in sequences go one level in.
                WriteArray(text, array, inArray ? indent + 2 : indent);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => QuoteIfNeeded(value.GetValue<string>()),
        JsonValue value when value.GetValueKind() == JsonValueKind.True => "true",
        JsonValue value when value.GetValueKind() == JsonValueKind.False => "false",
        _ => node.ToJsonString(),
    };

    private static string QuoteIfNeeded(string text)
    {
        // A colon ends a key when a space or the line's end follows it; " #" starts a comment.
        if (PlainSafe().IsMatch(text) && !text.EndsWith(' ') && !text.EndsWith(':') && !text.Contains(": ", StringComparison.Ordinal)
            && !text.Contains(" #", StringComparison.Ordinal) && !IsYamlKeyword(text))
            return text;

        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\t': quoted.Append("\\t"); break;
                case < ' ':
                    quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: quoted.Append(c); break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Words YAML 1.1 or 1.2 readers turn into booleans or null.</summary>
    private static bool IsYamlKeyword(string text) =>
        text.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~";

    /// <summary>Starts with a letter (so never a number, date or indicator); then only characters without meaning.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9 .,;()/'_+=<>!?*%-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();
}
