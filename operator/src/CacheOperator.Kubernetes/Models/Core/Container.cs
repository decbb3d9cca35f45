using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>One container of a pod.</summary>
public sealed class Container
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("imagePullPolicy")] public string? ImagePullPolicy { get; set; }
    [JsonPropertyName("command")] public IList<string>? Command { get; set; }
    [JsonPropertyName("args")] public IList<string>? Args { get; set; }
    [JsonPropertyName("workingDir")] public string? WorkingDir { get; set; }
    [JsonPropertyName("env")] public IList<EnvVar>? Env { get; set; }
    [JsonPropertyName("ports")] public IList<ContainerPort>? Ports { get; set; }
    [JsonPropertyName("resources")] public ResourceRequirements? Resources { get; set; }
    [JsonPropertyName("volumeMounts")] public IList<VolumeMount>? VolumeMounts { get; set; }
    [JsonPropertyName("readinessProbe")] public Probe? ReadinessProbe { get; set; }
    [JsonPropertyName("livenessProbe")] public Probe? LivenessProbe { get; set; }
    [JsonPropertyName("startupProbe")] public Probe? StartupProbe { get; set; }
    [JsonPropertyName("securityContext")] public SecurityContext? SecurityContext { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
