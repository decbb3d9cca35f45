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
    // Base properties first, as the API server writes them (the serializer puts derived ones first otherwise).
    [JsonPropertyName("apiVersion")]
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    [JsonPropertyOrder(-2)]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
