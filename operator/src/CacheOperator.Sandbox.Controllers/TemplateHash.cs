using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.Controllers;

/// <summary>
/// A short, stable name for a pod template: FNV-1a (32 bit) over the template's canonical JSON (object keys
/// sorted, nulls dropped, so the order in which a server or a client writes fields does not matter), written in
/// the alphabet Kubernetes uses for generated names (no vowels, no look-alike digits, so a hash never spells a
/// word or reads ambiguously). Used as <c>pod-template-hash</c> and in <c>controller-revision-hash</c>.
/// </summary>
public static class TemplateHash
{
    /// <summary>The characters of generated names and hashes.</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteCanonical(writer, template);
        return Encode(Fnv1a(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Maps each decimal digit of the hash into <see cref="Alphabet"/>.</summary>
    public static string Encode(uint hash)
    {
        string digits = hash.ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(digits.Length);
        foreach (char c in digits)
            builder.Append(Alphabet[c % Alphabet.Length]);
        return builder.ToString();
    }

    public static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        uint hash = 2166136261;
        foreach (byte b in data)
        {
            hash ^= b;
            hash *= 16777619;
        }
        return hash;
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (JsonNode? item in array)
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
