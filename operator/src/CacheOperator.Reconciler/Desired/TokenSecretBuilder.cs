using System.Security.Cryptography;
using System.Text;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Desired;

/// <summary>The Secret holding the token the nodes' and routers' admin endpoints require.</summary>
public static class TokenSecretBuilder
{
    /// <summary>The user's Secret when spec.security.tokenSecretName names one, else ours.</summary>
    public static string SecretName(CacheCluster cluster, ClusterNames names)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(names);
        return string.IsNullOrEmpty(cluster.Spec.Security.TokenSecretName) ? names.TokenSecret : cluster.Spec.Security.TokenSecretName;
    }

    /// <summary>Whether the operator creates and owns the Secret (false when the user brings their own).</summary>
    public static bool IsOwned(CacheCluster cluster) => string.IsNullOrEmpty(cluster?.Spec.Security.TokenSecretName);

    /// <summary>32 random bytes, hex: what a new cluster's token is. The only impure step, kept out of Build.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The token stored in a Secret, or null when it has none.</summary>
    public static string? ReadToken(Secret? secret) =>
        secret?.Data is { } data && data.TryGetValue(PodDefaults.TokenKey, out byte[]? value) && value.Length > 0
            ? Encoding.UTF8.GetString(value)
            : null;

    public static Secret Build(CacheCluster cluster, ClusterNames names, string token)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var resource = KubernetesResource.Of<Secret>();
        return new Secret
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = Metadata.For(cluster, names.TokenSecret, ClusterLabels.Common(names.Cluster)),
            Type = "Opaque",
            Data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { [PodDefaults.TokenKey] = Encoding.UTF8.GetBytes(token) },
        };
    }
}
