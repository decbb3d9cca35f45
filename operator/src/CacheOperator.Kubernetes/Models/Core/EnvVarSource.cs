using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Where an environment variable's value comes from.</summary>
public sealed class EnvVarSource
{
    [JsonPropertyName("fieldRef")] public ObjectFieldSelector? FieldRef { get; set; }
    [JsonPropertyName("secretKeyRef")] public SecretKeySelector? SecretKeyRef { get; set; }
    [JsonPropertyName("configMapKeyRef")] public ConfigMapKeySelector? ConfigMapKeyRef { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
