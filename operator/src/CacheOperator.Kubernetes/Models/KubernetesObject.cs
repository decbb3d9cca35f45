using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>
/// The shape every Kubernetes object shares. Typed subclasses declare the fields we read and write; anything
/// else the server sends lands in <see cref="AdditionalProperties"/> and is written back unchanged, so a
/// read-modify-write never drops a field this client does not know.
/// </summary>
public class KubernetesObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
