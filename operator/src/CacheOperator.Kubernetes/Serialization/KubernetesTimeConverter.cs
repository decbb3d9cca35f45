using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Serialization;

/// <summary>
/// meta/v1 Time: RFC 3339 in UTC with whole seconds (<c>2026-01-02T15:04:05Z</c>), the format the API server
/// writes. Reading accepts any RFC 3339 / ISO 8601 form (fractions, offsets). Registered for every
/// <see cref="DateTimeOffset"/> in <see cref="KubernetesJson.Options"/>; MicroTime fields opt out with
/// <see cref="MicroTimeConverter"/>.
/// </summary>
public sealed class KubernetesTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }

    internal static DateTimeOffset Parse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"time: expected a string, got {reader.TokenType}");
        string text = reader.GetString()!;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            throw new JsonException($"time: '{text}' is not an RFC 3339 time");
        return value;
    }
}
