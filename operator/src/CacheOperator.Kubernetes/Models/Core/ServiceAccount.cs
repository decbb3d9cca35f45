using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 ServiceAccount.</summary>
[KubernetesResource("", "v1", "ServiceAccount", "serviceaccounts")]
public sealed class ServiceAccount : KubernetesObject
{
    [JsonPropertyName("automountServiceAccountToken")] public bool? AutomountServiceAccountToken { get; set; }
    [JsonPropertyName("secrets")] public IList<ObjectReference>? Secrets { get; set; }
    [JsonPropertyName("imagePullSecrets")] public IList<LocalObjectReference>? ImagePullSecrets { get; set; }
}
