using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Desired;

/// <summary>
/// The headless Service of every node pod: stable DNS names per pod, and publishNotReadyAddresses so a pod is
/// resolvable while it warms up (before it is ready).
/// </summary>
public static class NodesServiceBuilder
{
    public static Service Build(CacheCluster cluster, ClusterNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var resource = KubernetesResource.Of<Service>();
        var labels = ClusterLabels.Common(names.Cluster);
        labels[ClusterLabels.Component] = ClusterLabels.NodeComponent;
        return new Service
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, names.NodesService, labels),
            Spec = new ServiceSpec
            {
                ClusterIP = "None",
                PublishNotReadyAddresses = true,
                Selector = ClusterLabels.NodeSelector(names.Cluster),
                Ports =
                [
                    new ServicePort { Name = Ports.MemcachedName, Port = Ports.Memcached, TargetPort = Ports.Memcached, Protocol = "TCP" },
                    new ServicePort { Name = Ports.AdminName, Port = Ports.Admin, TargetPort = Ports.Admin, Protocol = "TCP" },
                ],
            },
        };
    }
}
