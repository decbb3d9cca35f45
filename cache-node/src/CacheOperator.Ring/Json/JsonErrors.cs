using System.Text.Json;

namespace CacheOperator.Ring.Json;

/// <summary>Turns System.Text.Json's errors into a JSON path and a short reason.</summary>
internal static class JsonErrors
{
    public static RingFormatException Translate(JsonException ex)
    {
        string path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
        string message = ex.Message;
        int details = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (details >= 0)
            message = message[..details];

        string reason;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            reason = $"unknown property {Quoted(message)}";
        else if (message.StartsWith("Duplicate property", StringComparison.Ordinal))
            reason = $"duplicate property {Quoted(message)}";
        else if (message.Contains("could not be converted to", StringComparison.Ordinal))
            reason = "expected " + Expected(message);
        else
            reason = message.TrimEnd('.');

        if (ex.LineNumber is long line && ex.BytePositionInLine is long column)
            reason += $" (line {line + 1}, byte {column + 1})";
        return new RingFormatException(path, reason, ex);
    }

    private static string Quoted(string message)
    {
        int start = message.IndexOf('\'', StringComparison.Ordinal);
        int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[start..(end + 1)] : "";
    }

    private static string Expected(string message)
    {
        if (message.Contains("List`1", StringComparison.Ordinal))
            return "an array";
        if (message.Contains("Int32", StringComparison.Ordinal) || message.Contains("Int64", StringComparison.Ordinal))
            return "an integer";
        if (message.Contains("System.String", StringComparison.Ordinal))
            return "a string";
        return "an object";
    }
}
