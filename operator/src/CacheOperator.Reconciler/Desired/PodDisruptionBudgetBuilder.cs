using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Policy;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Desired;

/// <summary>One voluntary disruption at a time per pool: a drain never takes two copies of a shard at once.</summary>
public static class PodDisruptionBudgetBuilder
{
    public static PodDisruptionBudget Build(CacheCluster cluster, ClusterNames names, string pool)
    {
        ArgumentNullException.ThrowIfNull(names);
        var resource = KubernetesResource.Of<PodDisruptionBudget>();
        return new PodDisruptionBudget
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, names.PodDisruptionBudget(pool), ClusterLabels.Node(names.Cluster, pool)),
            Spec = new PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = PodDefaults.Selector(ClusterLabels.PoolSelector(names.Cluster, pool)),
            },
        };
    }
}
