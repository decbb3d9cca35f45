using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Serialization;

/// <summary>
/// meta/v1 MicroTime: RFC 3339 in UTC with six fractional digits (<c>2026-01-02T15:04:05.000000Z</c>), used by
/// Lease acquire/renew times and Event.eventTime. Put on a property with [JsonConverter]; it wins over the
/// whole-second <see cref="KubernetesTimeConverter"/> registered in the options.
/// </summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubernetesTimeConverter.Parse(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }
}
