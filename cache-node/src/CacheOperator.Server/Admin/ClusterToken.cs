using System.Security.Cryptography;
using System.Text;

namespace CacheOperator.Server.Admin;

/// <summary>
/// The cluster's shared secret (from the cluster Secret) that admin endpoints which change state require as
/// "Authorization: Bearer &lt;token&gt;". Health, readiness, metrics and stats stay open.
/// </summary>
public sealed class ClusterToken
{
    /// <summary>Environment variable holding the token itself.</summary>
    public const string EnvironmentVariable = "CACHE_NODE_CLUSTER_TOKEN";

    /// <summary>Environment variable naming a file that holds the token (a mounted Secret); wins over the variable.</summary>
    public const string FileEnvironmentVariable = "CACHE_NODE_CLUSTER_TOKEN_FILE";

    /// <summary>SHA-256 of the token; comparing digests takes the same time whatever the presented length.</summary>
    private readonly byte[]? _digest;

    public ClusterToken(string? token)
    {
        token = token?.Trim();
        _digest = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Secret = string.IsNullOrEmpty(token) ? null : token;
    }

    /// <summary>The token itself, which this node presents when it pulls a stream from a peer.</summary>
    public string? Secret { get; }

    /// <summary>False when no token is configured: protected endpoints then refuse every request.</summary>
    public bool IsConfigured => _digest is not null;

    /// <summary>Reads the token from <see cref="FileEnvironmentVariable"/> or <see cref="EnvironmentVariable"/>.</summary>
    public static ClusterToken FromEnvironment()
    {
        string? file = Environment.GetEnvironmentVariable(FileEnvironmentVariable);
        if (!string.IsNullOrEmpty(file))
            return new ClusterToken(File.ReadAllText(file));
        return new ClusterToken(Environment.GetEnvironmentVariable(EnvironmentVariable));
    }

    /// <summary>Whether an Authorization header value is "Bearer" and this token.</summary>
    public bool Verify(string? authorization)
    {
        const string scheme = "Bearer ";
        if (_digest is null || authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _digest);
    }
}
