using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>ConfigMaps and Secrets as the kubelet's watch caches last saw them.</summary>
internal sealed class CacheObjectSource(WatchCache<ConfigMap> configMaps, WatchCache<Secret> secrets) : IPodObjectSource
{
    public ConfigMap? GetConfigMap(string ns, string name) => configMaps.Get(ns, name);
    public Secret? GetSecret(string ns, string name) => secrets.Get(ns, name);
}
