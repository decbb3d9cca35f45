namespace CacheOperator.Kubernetes;

/// <summary>
/// Names the REST resource a typed object lives at, so the client builds paths from the type alone.
/// Group is empty for the core group.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KubernetesResourceAttribute(string group, string version, string kind, string plural) : Attribute
{
    public string Group { get; } = group;
    public string Version { get; } = version;
    public string Kind { get; } = kind;
    public string Plural { get; } = plural;
    public bool Namespaced { get; init; } = true;

    /// <summary>"v1" for the core group, else "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
