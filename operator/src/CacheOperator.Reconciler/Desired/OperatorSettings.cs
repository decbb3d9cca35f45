namespace CacheOperator.Reconciler.Desired;

/// <summary>The operator-wide settings the desired objects depend on (from its command line).</summary>
public sealed record OperatorSettings
{
    /// <summary>The chart's appVersion; the image tag when nothing else says.</summary>
    public const string DefaultVersion = "0.1.0";

    /// <summary>Image for CacheCluster pods whose spec.image is empty (--cache-node-image).</summary>
    public string CacheNodeImage { get; init; } = $"ghcr.io/cacheoperator/cache-node:{DefaultVersion}";

    /// <summary>The routers' admin port the operator pushes rings to; tests point it at a local fake.</summary>
    public int RouterAdminPort { get; init; } = Ports.Admin;
}
