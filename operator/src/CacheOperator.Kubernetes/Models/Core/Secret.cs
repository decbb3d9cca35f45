using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Secret. data is base64 on the wire (byte[] here); stringData is write-only, merged into data by the server.</summary>
[KubernetesResource("", "v1", "Secret", "secrets")]
public sealed class Secret : KubernetesObject
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("data")] public IDictionary<string, byte[]>? Data { get; set; }
    [JsonPropertyName("stringData")] public IDictionary<string, string>? StringData { get; set; }
    [JsonPropertyName("immutable")] public bool? Immutable { get; set; }
}
