namespace CacheOperator.Sandbox.ApiServer;

/// <summary>Where a resource keeps the numbers its /scale subresource exposes (JSON paths like `.spec.replicas`).</summary>
internal sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath)
{
    /// <summary>StatefulSets and Deployments: the selector comes from spec.selector, a LabelSelector object.</summary>
    public static ScaleSubresource BuiltIn { get; } = new(".spec.replicas", ".status.replicas", null);
}
