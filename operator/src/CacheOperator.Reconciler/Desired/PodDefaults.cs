using System.Security.Cryptography;
using System.Text;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Reconciler.Desired;

/// <summary>The parts node and router pods share: locked-down security, probes, the token volume.</summary>
public static class PodDefaults
{
    /// <summary>The distroless "nonroot" user; the images run as it.</summary>
    public const long NonRootUser = 65532;

    public const string TokenVolume = "cluster-token";
    public const string TokenDirectory = "/var/run/cacheoperator/token";
    public const string TokenKey = "token";
    public const string TokenFile = TokenDirectory + "/" + TokenKey;
    public const string TokenFileEnv = "CACHE_NODE_CLUSTER_TOKEN_FILE";
    public const string PodIPEnv = "POD_IP";

    /// <summary>Pod template annotation: changes when the token does, so a rotated token rolls the pods.</summary>
    public const string TokenHashAnnotation = "cacheoperator.io/token-hash";

    public static PodSecurityContext PodSecurity() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = NonRootUser,
        RunAsGroup = NonRootUser,
        FsGroup = NonRootUser,
        SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
    };

    public static SecurityContext ContainerSecurity() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = NonRootUser,
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        Capabilities = new Capabilities { Drop = ["ALL"] },
        SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
    };

    public static IList<EnvVar> Env() =>
    [
        new EnvVar { Name = PodIPEnv, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
        new EnvVar { Name = TokenFileEnv, Value = TokenFile },
    ];

    public static IList<ContainerPort> ContainerPorts() =>
    [
        new ContainerPort { Name = Ports.MemcachedName, Port = Ports.Memcached, Protocol = "TCP" },
        new ContainerPort { Name = Ports.AdminName, Port = Ports.Admin, Protocol = "TCP" },
    ];

    public static Probe Readiness() => new()
    {
        HttpGet = new HttpGetAction { Path = "/readyz", Port = Ports.Admin },
        PeriodSeconds = 5,
        FailureThreshold = 2,
    };

    public static Probe Liveness() => new()
    {
        HttpGet = new HttpGetAction { Path = "/healthz", Port = Ports.Admin },
        InitialDelaySeconds = 10,
        PeriodSeconds = 10,
        FailureThreshold = 3,
    };

    /// <summary>
    /// The root filesystem is read-only; the .NET runtime still wants a writable temp directory (diagnostics
    /// IPC), so /tmp is an emptyDir.
    /// </summary>
    public static Volume TmpVolume() => new() { Name = "tmp", EmptyDir = new EmptyDirVolumeSource() };

    public static VolumeMount TmpMount() => new() { Name = "tmp", MountPath = "/tmp" };

    public static Volume TokenSecretVolume(string secretName) => new()
    {
        Name = TokenVolume,
        Secret = new SecretVolumeSource
        {
            SecretName = secretName,
            Items = [new KeyToPath { Key = TokenKey, Path = TokenKey }],
            DefaultMode = 0x124, // 0444: readable by the non-root user without fsGroup support
        },
    };

    public static VolumeMount TokenMount() => new() { Name = TokenVolume, MountPath = TokenDirectory, ReadOnly = true };

    /// <summary>A short SHA-256 of the token: enough to notice a change, useless for recovering the token.</summary>
    public static string TokenHash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];
    }

    /// <summary>A requirements object from request and limit maps, with user overrides laid over the defaults.</summary>
    public static ResourceRequirements Resources(
        IDictionary<string, string> requests, IDictionary<string, string> limits,
        IDictionary<string, string>? requestOverrides, IDictionary<string, string>? limitOverrides)
    {
        var r = new SortedDictionary<string, string>(requests, StringComparer.Ordinal);
        var l = new SortedDictionary<string, string>(limits, StringComparer.Ordinal);
        foreach (var (key, value) in requestOverrides ?? new Dictionary<string, string>())
            r[key] = value;
        foreach (var (key, value) in limitOverrides ?? new Dictionary<string, string>())
            l[key] = value;
        return new ResourceRequirements { Requests = r, Limits = l.Count > 0 ? l : null };
    }

    public static LabelSelector Selector(IDictionary<string, string> labels) => new() { MatchLabels = labels };
}
