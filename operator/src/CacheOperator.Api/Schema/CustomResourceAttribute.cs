namespace CacheOperator.Api.Schema;

/// <summary>
/// What the CRD says about the resource beyond its group, version, kind and plural (which
/// <see cref="CacheOperator.Kubernetes.KubernetesResourceAttribute"/> holds).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CustomResourceAttribute(string singular) : Attribute
{
    public string Singular { get; } = singular;
    public string[] ShortNames { get; init; } = [];
    public string[] Categories { get; init; } = [];
    /// <summary>Serve the <c>/status</c> subresource: spec and status are written through different endpoints.</summary>
    public bool StatusSubresource { get; init; }
}
