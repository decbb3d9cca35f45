using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Networking;
using CacheOperator.Reconciler.Naming;
using PolicySpec = CacheOperator.Kubernetes.Models.Networking.NetworkPolicySpec;

namespace CacheOperator.Reconciler.Desired;

/// <summary>
/// Who may reach the pods. Nodes: only this cluster's routers, its other nodes (replication streams) and the
/// operator. Routers: memcached from anywhere in the namespace, admin only from the operator.
/// </summary>
public static class NetworkPolicyBuilder
{
    public static NetworkPolicy Nodes(CacheCluster cluster, ClusterNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var labels = ClusterLabels.Common(names.Cluster);
        labels[ClusterLabels.Component] = ClusterLabels.NodeComponent;
        return Policy(cluster, names.NodesNetworkPolicy, labels, ClusterLabels.NodeSelector(names.Cluster),
        [
            new NetworkPolicyIngressRule
            {
                From =
                [
                    new NetworkPolicyPeer { PodSelector = PodDefaults.Selector(ClusterLabels.RouterSelector(names.Cluster)) },
                    new NetworkPolicyPeer { PodSelector = PodDefaults.Selector(ClusterLabels.NodeSelector(names.Cluster)) },
                    Operator(),
                ],
                Ports = [Port(Ports.Memcached), Port(Ports.Admin)],
            },
        ]);
    }

    public static NetworkPolicy Router(CacheCluster cluster, ClusterNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Policy(cluster, names.RouterNetworkPolicy, ClusterLabels.Router(names.Cluster), ClusterLabels.RouterSelector(names.Cluster),
        [
            new NetworkPolicyIngressRule
            {
                From = [new NetworkPolicyPeer { PodSelector = new LabelSelector() }],
                Ports = [Port(Ports.Memcached)],
            },
            new NetworkPolicyIngressRule { From = [Operator()], Ports = [Port(Ports.Admin)] },
        ]);
    }

    private static NetworkPolicy Policy(CacheCluster cluster, string name, IDictionary<string, string> labels,
        IDictionary<string, string> podSelector, IList<NetworkPolicyIngressRule> ingress)
    {
        var resource = KubernetesResource.Of<NetworkPolicy>();
        return new NetworkPolicy
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, name, labels),
            Spec = new PolicySpec
            {
                PodSelector = PodDefaults.Selector(podSelector),
                PolicyTypes = ["Ingress"],
                Ingress = ingress,
            },
        };
    }

    /// <summary>The operator's pods, in whatever namespace it was installed.</summary>
    private static NetworkPolicyPeer Operator() => new()
    {
        NamespaceSelector = new LabelSelector(),
        PodSelector = PodDefaults.Selector(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterLabels.Name] = ClusterLabels.OperatorAppName,
        }),
    };

    private static NetworkPolicyPort Port(int port) => new() { Protocol = "TCP", Port = port };
}
