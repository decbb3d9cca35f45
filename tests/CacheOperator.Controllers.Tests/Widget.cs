using System.Text.Json.Serialization;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Controllers.Tests;

/// <summary>A custom resource for tests: spec, status subresource, namespaced.</summary>
[KubernetesResource("test.cacheoperator.io", "v1", "Widget", "widgets")]
public sealed class Widget : KubernetesObject
{
    [JsonPropertyName("spec")] public WidgetSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public WidgetStatus? Status { get; set; }

    public static Widget Named(string name, string ns = "default", int size = 1,
        IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Spec = new WidgetSpec { Size = size },
    };
}
