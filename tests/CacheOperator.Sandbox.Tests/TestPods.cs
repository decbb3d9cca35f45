using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Tests;

/// <summary>Pods and objects written as the YAML-ish JSON a user would apply.</summary>
internal static class TestPods
{
    public static Pod Parse(string json) => KubernetesJson.Deserialize<Pod>(json)!;

    public static ConfigMap ConfigMap(string ns, string name, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new() { Name = name, Namespace = ns },
        Data = data,
    };

    public static Secret Secret(string ns, string name, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new() { Name = name, Namespace = ns },
        Data = data.ToDictionary(p => p.Key, p => System.Text.Encoding.UTF8.GetBytes(p.Value)),
    };
}
