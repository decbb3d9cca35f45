using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Desired;

/// <summary>
/// The Service applications use: memcached on the routers. The admin port stays off it: the operator reaches
/// each router pod directly, and clients have no business there.
/// </summary>
public static class RouterServiceBuilder
{
    public static Service Build(CacheCluster cluster, ClusterNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var resource = KubernetesResource.Of<Service>();
        return new Service
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, names.RouterService, ClusterLabels.Router(names.Cluster)),
            Spec = new ServiceSpec
            {
                Type = "ClusterIP",
                Selector = ClusterLabels.RouterSelector(names.Cluster),
                Ports = [new ServicePort { Name = Ports.MemcachedName, Port = Ports.Memcached, TargetPort = Ports.Memcached, Protocol = "TCP" }],
            },
        };
    }
}
