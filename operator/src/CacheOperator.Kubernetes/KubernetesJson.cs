using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CacheOperator.Kubernetes.Serialization;

namespace CacheOperator.Kubernetes;

/// <summary>
/// The one set of JSON options for Kubernetes objects, shared by the client, the sandbox API server and tests.
/// Property names come from [JsonPropertyName] on every model (no naming policy is relied on, so a model reads
/// the same under any options); nulls are not written, so an object built for server-side apply carries only
/// the fields that were set; times are written in the API's formats (see <see cref="KubernetesTimeConverter"/>
/// and <see cref="MicroTimeConverter"/>); byte[] is base64 as the API expects for Secret data; a number where a
/// string is modelled (a quantity) is read as its text (<see cref="LenientStringConverter"/>).
/// </summary>
public static class KubernetesJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, Options);

    public static T? Deserialize<T>(JsonElement element) => element.Deserialize<T>(Options);

    /// <summary>A deep copy through JSON (what a cache hands out so callers cannot mutate shared state).</summary>
    public static T Clone<T>(T value) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, Options), Options)!;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new KubernetesTimeConverter(), new LenientStringConverter() },
        };
        options.MakeReadOnly();
        return options;
    }
}
