using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Resources;

namespace CacheOperator.Reconciler.Desired;

/// <summary>The StatefulSet of one pool (or of the gutter): S·R + B node pods.</summary>
public static class NodeStatefulSetBuilder
{
    public const string ContainerName = "cache-node";
    public const string HostnameTopologyKey = "kubernetes.io/hostname";
    public const string ZoneTopologyKey = "topology.kubernetes.io/zone";

    public static StatefulSet Build(CacheCluster cluster, ClusterNames names, string pool, int replicas, string token, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(settings);
        var spec = cluster.Spec;
        long itemBytes = MemoryQuantity.ParseBytes(ClusterTopology.Memory(spec, pool));
        string containerMemory = MemoryQuantity.FormatBytes(NodeMemory.ContainerBytes(itemBytes));
        long maxItemBytes = MemoryQuantity.ParseBytes(spec.MaxItemSize);

        var container = new Container
        {
            Name = ContainerName,
            Image = string.IsNullOrEmpty(spec.Image) ? settings.CacheNodeImage : spec.Image,
            ImagePullPolicy = spec.ImagePullPolicy,
            Args =
            [
                "node",
                "-p", Ports.Memcached.ToString(CultureInfo.InvariantCulture),
                "-l", $"$({PodDefaults.PodIPEnv})",
                "--admin-port", Ports.Admin.ToString(CultureInfo.InvariantCulture),
                "-m", NodeMemory.ItemMemoryMegabytes(itemBytes).ToString(CultureInfo.InvariantCulture),
                "-I", maxItemBytes.ToString(CultureInfo.InvariantCulture),
            ],
            Env = PodDefaults.Env(),
            Ports = PodDefaults.ContainerPorts(),
            Resources = PodDefaults.Resources(
                new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = containerMemory },
                new Dictionary<string, string> { ["memory"] = containerMemory },
                spec.Resources?.Requests,
                spec.Resources?.Limits),
            VolumeMounts = [PodDefaults.TokenMount(), PodDefaults.TmpMount()],
            ReadinessProbe = PodDefaults.Readiness(),
            LivenessProbe = PodDefaults.Liveness(),
            SecurityContext = PodDefaults.ContainerSecurity(),
        };

        var podLabels = ClusterLabels.Node(names.Cluster, pool);
        var podSpec = new PodSpec
        {
            Containers = [container],
            Volumes = [PodDefaults.TokenSecretVolume(TokenSecretBuilder.SecretName(cluster, names)), PodDefaults.TmpVolume()],
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            SecurityContext = PodDefaults.PodSecurity(),
            TerminationGracePeriodSeconds = 30,
            NodeSelector = spec.Scheduling.NodeSelector is { Count: > 0 } nodeSelector
                ? new SortedDictionary<string, string>(nodeSelector, StringComparer.Ordinal)
                : null,
            Tolerations = spec.Scheduling.Tolerations?.Select(t => KubernetesJson.Deserialize<Toleration>(t.ToJsonString())!).ToList(),
            Affinity = Affinity(spec.Scheduling, ClusterLabels.NodeSelector(names.Cluster)),
            TopologySpreadConstraints = spec.Scheduling.TopologySpreadConstraints is { Count: > 0 } spread
                ? [.. spread.Select(t => KubernetesJson.Deserialize<TopologySpreadConstraint>(t.ToJsonString())!)]
                :
                [
                    new TopologySpreadConstraint
                    {
                        MaxSkew = 1,
                        TopologyKey = ZoneTopologyKey,
                        WhenUnsatisfiable = "ScheduleAnyway",
                        LabelSelector = PodDefaults.Selector(ClusterLabels.PoolSelector(names.Cluster, pool)),
                    },
                ],
        };

        return new StatefulSet
        {
            ApiVersion = KubernetesResource.Of<StatefulSet>().ApiVersion,
            Kind = KubernetesResource.Of<StatefulSet>().Kind,
            Metadata = Metadata.For(cluster, names.StatefulSet(pool), podLabels),
            Spec = new StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = names.NodesService,
                PodManagementPolicy = "Parallel",
                Selector = PodDefaults.Selector(ClusterLabels.PoolSelector(names.Cluster, pool)),
                // The operator replaces a pool's pods itself (Orchestration/PodUpdater.cs), one at a time and only once the
                // replaced copy tails again: a rolling update goes on as soon as a pod is Ready, and a primary restarted
                // while its replica still re-copies loses its shard. The gutter holds only short-lived stand-ins.
                UpdateStrategy = new StatefulSetUpdateStrategy { Type = pool == Ring.GutterTopology.PoolName ? "RollingUpdate" : "OnDelete" },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta
                    {
                        Labels = podLabels,
                        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                        {
                            [PodDefaults.TokenHashAnnotation] = PodDefaults.TokenHash(token),
                        },
                    },
                    Spec = podSpec,
                },
            },
        };
    }

    /// <summary>
    /// The user's affinity, plus anti-affinity between the cluster's node pods on one host (a host failure then
    /// takes at most one copy of a shard) unless the user wrote their own or chose "none".
    /// </summary>
    internal static Affinity? Affinity(SchedulingSpec scheduling, IDictionary<string, string> peers)
    {
        var affinity = scheduling.Affinity is { Count: > 0 } user
            ? KubernetesJson.Deserialize<Affinity>(user.ToJsonString())!
            : new Affinity();
        if (affinity.PodAntiAffinity is null && scheduling.PodAntiAffinity != PodAntiAffinityModes.None)
        {
            var term = new PodAffinityTerm { LabelSelector = PodDefaults.Selector(peers), TopologyKey = HostnameTopologyKey };
            affinity.PodAntiAffinity = scheduling.PodAntiAffinity == PodAntiAffinityModes.Required
                ? new PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [term] }
                : new PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new WeightedPodAffinityTerm { Weight = 100, PodAffinityTerm = term }] };
        }

        return affinity.PodAntiAffinity is null && affinity.PodAffinity is null && affinity.AdditionalProperties is not { Count: > 0 }
            ? null
            : affinity;
    }
}
