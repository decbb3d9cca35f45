using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Api.V1Alpha1;

/// <summary>
/// Reads a map of quantities whose values may be JSON numbers (<c>cpu: 1</c>) or strings (<c>cpu: 500m</c>), keeping
/// each as the string Kubernetes would print; writes strings.
/// </summary>
public sealed class QuantityMapConverter : JsonConverter<IDictionary<string, string>>
{
    public override IDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("a map of quantities must be an object");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString() ?? throw new JsonException("a quantity map key is null");
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => reader.TryGetInt64(out var whole)
                    ? whole.ToString(CultureInfo.InvariantCulture)
                    : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
                _ => throw new JsonException($"the quantity '{key}' must be a number or a string"),
            };
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IDictionary<string, string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, quantity) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
            writer.WriteString(key, quantity);
        writer.WriteEndObject();
    }
}
