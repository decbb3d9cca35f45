using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Kubernetes.Models.Networking;
using CacheOperator.Kubernetes.Models.Policy;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Desired;

/// <summary>Every object a CacheCluster should own, computed from its spec and the observed world.</summary>
public sealed record DesiredState
{
    public required ClusterNames Names { get; init; }

    public required RingPlan Ring { get; init; }

    /// <summary>Null when the user brings the token Secret (spec.security.tokenSecretName).</summary>
    public Secret? TokenSecret { get; init; }

    public required ConfigMap RingConfigMap { get; init; }

    public required Service NodesService { get; init; }

    public required IReadOnlyList<StatefulSet> StatefulSets { get; init; }

    public required IReadOnlyList<PodDisruptionBudget> DisruptionBudgets { get; init; }

    public required Deployment RouterDeployment { get; init; }

    public required Service RouterService { get; init; }

    /// <summary>Empty when spec.security.networkPolicy.enabled is false.</summary>
    public required IReadOnlyList<NetworkPolicy> NetworkPolicies { get; init; }

    /// <summary>
    /// In the order to apply them: what pods mount first (token, ring), then the Services, the node pods, their
    /// budgets, the routers, and last the network policies.
    /// </summary>
    public IEnumerable<KubernetesObject> All()
    {
        if (TokenSecret is not null)
            yield return TokenSecret;
        yield return RingConfigMap;
        yield return NodesService;
        foreach (var statefulSet in StatefulSets)
            yield return statefulSet;
        foreach (var budget in DisruptionBudgets)
            yield return budget;
        yield return RouterDeployment;
        yield return RouterService;
        foreach (var policy in NetworkPolicies)
            yield return policy;
    }

    /// <summary>Pure: the same cluster, observed state and settings always give the same objects.</summary>
    public static DesiredState For(CacheCluster cluster, ObservedState observed, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(settings);
        var names = new ClusterNames(cluster.Metadata.Name ?? "", cluster.Metadata.Namespace ?? "");
        var spec = cluster.Spec;
        var gutter = ClusterTopology.Gutter(spec);
        var plan = RingPlanner.Plan(new RingPlanInput
        {
            Names = names,
            Pools = ClusterTopology.Pools(spec),
            DefaultPool = ClusterTopology.DefaultPool,
            Gutter = gutter,
            Router = ClusterTopology.Router(spec),
            PreviousRing = observed.RingJson,
            PreviousMembers = observed.MembersJson,
            PodIPs = observed.PodIPs,
            ServingReplicas = observed.ServingReplicas,
            MemcachedPort = Ports.Memcached,
            Orchestration = observed.OrchestrationJson,
        });

        // Pools as they run: the ring's shape, not the spec's, while a topology change waits.
        var pools = plan.Pools.Select(p => (p.Name, Replicas: p.Members)).ToList();
        if (gutter is not null)
            pools.Add((GutterTopology.PoolName, gutter.Shards));

        return new DesiredState
        {
            Names = names,
            Ring = plan,
            TokenSecret = TokenSecretBuilder.IsOwned(cluster) ? TokenSecretBuilder.Build(cluster, names, observed.Token) : null,
            RingConfigMap = RingConfigMapBuilder.Build(cluster, names, plan),
            NodesService = NodesServiceBuilder.Build(cluster, names),
            StatefulSets = [.. pools.Select(p => NodeStatefulSetBuilder.Build(cluster, names, p.Name, p.Replicas, observed.Token, settings))],
            DisruptionBudgets = [.. pools.Select(p => PodDisruptionBudgetBuilder.Build(cluster, names, p.Name))],
            RouterDeployment = RouterDeploymentBuilder.Build(cluster, names, observed.Token, settings),
            RouterService = RouterServiceBuilder.Build(cluster, names),
            NetworkPolicies = spec.Security.NetworkPolicy.Enabled
                ? [NetworkPolicyBuilder.Nodes(cluster, names), NetworkPolicyBuilder.Router(cluster, names)]
                : [],
        };
    }
}
