using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Reconciler.Desired;

/// <summary>Metadata shared by every owned object: name, namespace, labels and the controller owner reference.</summary>
public static class Metadata
{
    public static ObjectMeta For(CacheCluster cluster, string name, IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new ObjectMeta
        {
            Name = name,
            Namespace = cluster.Metadata.Namespace,
            Labels = labels,
            OwnerReferences = [Owner(cluster)],
        };
    }

    /// <summary>
    /// controller: true lets the controller runtime map an owned object's events back to its cluster;
    /// blockOwnerDeletion: true keeps foreground deletion of the cluster waiting for its children.
    /// </summary>
    public static OwnerReference Owner(CacheCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new OwnerReference
        {
            ApiVersion = CacheCluster.ApiVersionValue,
            Kind = CacheCluster.ResourceKind,
            Name = cluster.Metadata.Name ?? "",
            Uid = cluster.Metadata.Uid ?? "",
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }
}
