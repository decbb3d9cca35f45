using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 ConfigMap.</summary>
[KubernetesResource("", "v1", "ConfigMap", "configmaps")]
public sealed class ConfigMap : KubernetesObject
{
    [JsonPropertyName("data")] public IDictionary<string, string>? Data { get; set; }
    /// <summary>Values are base64 on the wire.</summary>
    [JsonPropertyName("binaryData")] public IDictionary<string, byte[]>? BinaryData { get; set; }
    [JsonPropertyName("immutable")] public bool? Immutable { get; set; }
}
