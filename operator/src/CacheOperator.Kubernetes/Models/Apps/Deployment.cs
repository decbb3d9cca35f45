using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>apps/v1 Deployment.</summary>
[KubernetesResource("apps", "v1", "Deployment", "deployments")]
public sealed class Deployment : KubernetesObject
{
    [JsonPropertyName("spec")] public DeploymentSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public DeploymentStatus? Status { get; set; }
}
