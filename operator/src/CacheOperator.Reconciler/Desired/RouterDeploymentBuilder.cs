using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Desired;

/// <summary>The routers: stateless, so a Deployment; they read the ring from the mounted ConfigMap.</summary>
public static class RouterDeploymentBuilder
{
    public const string ContainerName = "router";
    public const string RingVolume = "ring";
    public const string RingDirectory = "/etc/cacheoperator/ring";
    public const string RingFile = RingDirectory + "/" + RingConfigMapBuilder.RingKey;

    /// <summary>The router's poll time before an I/O thread sleeps (spec.router.pollMicroseconds).</summary>
    public const string PollEnv = "CACHE_NODE_POLL_US";

    public static Deployment Build(CacheCluster cluster, ClusterNames names, string token, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(settings);
        var spec = cluster.Spec;
        var container = new Container
        {
            Name = ContainerName,
            Image = string.IsNullOrEmpty(spec.Image) ? settings.CacheNodeImage : spec.Image,
            ImagePullPolicy = spec.ImagePullPolicy,
            Args =
            [
                "router",
                "-p", Ports.Memcached.ToString(CultureInfo.InvariantCulture),
                "-l", $"$({PodDefaults.PodIPEnv})",
                "--admin-port", Ports.Admin.ToString(CultureInfo.InvariantCulture),
                "--ring", RingFile,
            ],
            Env = Env(spec.Router),
            Ports = PodDefaults.ContainerPorts(),
            Resources = PodDefaults.Resources(
                new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" },
                new Dictionary<string, string> { ["memory"] = "256Mi" },
                spec.Router.Resources?.Requests,
                spec.Router.Resources?.Limits),
            VolumeMounts =
            [
                new VolumeMount { Name = RingVolume, MountPath = RingDirectory, ReadOnly = true },
                PodDefaults.TokenMount(),
                PodDefaults.TmpMount(),
            ],
            ReadinessProbe = PodDefaults.Readiness(),
            LivenessProbe = PodDefaults.Liveness(),
            SecurityContext = PodDefaults.ContainerSecurity(),
        };

        var labels = ClusterLabels.Router(names.Cluster);
        var resource = KubernetesResource.Of<Deployment>();
        return new Deployment
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, names.RouterDeployment, labels),
            Spec = new DeploymentSpec
            {
                Replicas = spec.Router.Replicas,
                Selector = PodDefaults.Selector(ClusterLabels.RouterSelector(names.Cluster)),
                Strategy = new DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                        {
                            [PodDefaults.TokenHashAnnotation] = PodDefaults.TokenHash(token),
                        },
                    },
                    Spec = new PodSpec
                    {
                        Containers = [container],
                        Volumes =
                        [
                            new Volume { Name = RingVolume, ConfigMap = new ConfigMapVolumeSource { Name = names.RingConfigMap } },
                            PodDefaults.TokenSecretVolume(TokenSecretBuilder.SecretName(cluster, names)),
                            PodDefaults.TmpVolume(),
                        ],
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = PodDefaults.PodSecurity(),
                        TerminationGracePeriodSeconds = 30,
                        NodeSelector = spec.Scheduling.NodeSelector is { Count: > 0 } nodeSelector
                            ? new SortedDictionary<string, string>(nodeSelector, StringComparer.Ordinal)
                            : null,
                        Tolerations = spec.Scheduling.Tolerations?.Select(t => KubernetesJson.Deserialize<Toleration>(t.ToJsonString())!).ToList(),
                        Affinity = NodeStatefulSetBuilder.Affinity(
                            new SchedulingSpec { PodAntiAffinity = PodAntiAffinityModes.Preferred },
                            ClusterLabels.RouterSelector(names.Cluster)),
                    },
                },
            },
        };
    }

    /// <summary>
    /// The pod defaults, plus the poll time only when it is set: a template without it is the one routers ran
    /// before the field existed, so an operator upgrade does not roll them; setting or clearing it does.
    /// </summary>
    private static IList<EnvVar> Env(RouterSpec router)
    {
        var env = PodDefaults.Env();
        if (router.PollMicroseconds != 0)
            env.Add(new EnvVar { Name = PollEnv, Value = router.PollMicroseconds.ToString(CultureInfo.InvariantCulture) });
        return env;
    }
}
