namespace CacheOperator.Api.Schema;

/// <summary>Serve the <c>/scale</c> subresource, so <c>kubectl scale</c> and autoscalers can change the size.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ScaleSubresourceAttribute(string specReplicasPath, string statusReplicasPath) : Attribute
{
    public string SpecReplicasPath { get; } = specReplicasPath;
    public string StatusReplicasPath { get; } = statusReplicasPath;
    public string? LabelSelectorPath { get; init; }
}
