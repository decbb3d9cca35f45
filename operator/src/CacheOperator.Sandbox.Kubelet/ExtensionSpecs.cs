using System.Text.Json;
using System.Text.Json.Serialization;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

// Pod fields the shared models do not declare (they arrive as extension data): the kubelet reads them with
// these small shapes of its own.

internal sealed class EnvFromSource
{
    [JsonPropertyName("prefix")] public string? Prefix { get; set; }
    [JsonPropertyName("configMapRef")] public NamedOptionalReference? ConfigMapRef { get; set; }
    [JsonPropertyName("secretRef")] public NamedOptionalReference? SecretRef { get; set; }
}

internal sealed class NamedOptionalReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("optional")] public bool? Optional { get; set; }
}

internal sealed class ProjectedVolumeSource
{
    [JsonPropertyName("sources")] public IList<VolumeProjection>? Sources { get; set; }
}

internal sealed class VolumeProjection
{
    [JsonPropertyName("configMap")] public ConfigMapVolumeSource? ConfigMap { get; set; }
    [JsonPropertyName("secret")] public ProjectedSecret? Secret { get; set; }
    [JsonPropertyName("serviceAccountToken")] public ServiceAccountTokenProjection? ServiceAccountToken { get; set; }
    [JsonPropertyName("downwardAPI")] public DownwardApiSource? DownwardApi { get; set; }
}

/// <summary>A projected secret names its Secret with <c>name</c>, unlike a secret volume's <c>secretName</c>.</summary>
internal sealed class ProjectedSecret
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("items")] public IList<KeyToPath>? Items { get; set; }
    [JsonPropertyName("optional")] public bool? Optional { get; set; }
}

internal sealed class ServiceAccountTokenProjection
{
    [JsonPropertyName("path")] public string Path { get; set; } = "token";
}

internal sealed class DownwardApiSource
{
    [JsonPropertyName("items")] public IList<DownwardApiFile>? Items { get; set; }
}

internal sealed class DownwardApiFile
{
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("fieldRef")] public ObjectFieldSelector? FieldRef { get; set; }
}

internal static class ExtensionData
{
    public static T? Read<T>(IDictionary<string, JsonElement>? extension, string name) where T : class =>
        extension is not null && extension.TryGetValue(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? KubernetesJson.Deserialize<T>(element)
            : null;
}

internal static class SecretValues
{
    /// <summary>data, with stringData on top (the API server merges them; an object built by hand may not be).</summary>
    public static IReadOnlyDictionary<string, byte[]> Of(Secret? secret)
    {
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret is null)
            return values;
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
            values[key] = value;
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            values[key] = System.Text.Encoding.UTF8.GetBytes(value);
        return values;
    }
}
