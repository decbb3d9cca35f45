using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

internal sealed class DictionaryObjectSource : IPodObjectSource
{
    public Dictionary<string, ConfigMap> ConfigMaps { get; } = [];
    public Dictionary<string, Secret> Secrets { get; } = [];

    public ConfigMap? GetConfigMap(string ns, string name) => ConfigMaps.GetValueOrDefault($"{ns}/{name}");
    public Secret? GetSecret(string ns, string name) => Secrets.GetValueOrDefault($"{ns}/{name}");

    public void Add(ConfigMap cm) => ConfigMaps[$"{cm.Metadata.Namespace}/{cm.Metadata.Name}"] = cm;
    public void Add(Secret secret) => Secrets[$"{secret.Metadata.Namespace}/{secret.Metadata.Name}"] = secret;
}
