using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Desired;

/// <summary>The ConfigMap routers mount: the ring document, and the member assignment it was built from.</summary>
public static class RingConfigMapBuilder
{
    public const string RingKey = "ring.json";
    public const string MembersKey = "members.json";
    public const string OrchestrationKey = "orchestration.json";

    public static ConfigMap Build(CacheCluster cluster, ClusterNames names, RingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(plan);
        var resource = KubernetesResource.Of<ConfigMap>();
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [MembersKey] = plan.MembersJson,
            [RingKey] = plan.RingJson,
        };
        if (plan.OrchestrationJson is not null)
            data[OrchestrationKey] = plan.OrchestrationJson;
        return new ConfigMap
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, names.RingConfigMap, ClusterLabels.Common(names.Cluster)),
            Data = data,
        };
    }
}
