using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>Where a pod's ConfigMaps and Secrets are read from (the kubelet's watch caches; a dictionary in tests).</summary>
public interface IPodObjectSource
{
    ConfigMap? GetConfigMap(string ns, string name);
    Secret? GetSecret(string ns, string name);
}
