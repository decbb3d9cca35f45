using System.Text.Json;
using System.Text.Json.Serialization;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Serialization;

/// <summary>Reads a JSON number or string into an <see cref="IntOrString"/> and writes it back as it came.</summary>
public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => IntOrString.FromInt(reader.GetInt32()),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            _ => throw new JsonException($"int-or-string: expected a number or a string, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.StringValue is { } s)
            writer.WriteStringValue(s);
        else
            writer.WriteNumberValue(value.IntValue);
    }
}
