namespace CacheOperator.Api.V1Alpha1;

/// <summary>Values of <c>spec.scheduling.podAntiAffinity</c>.</summary>
public static class PodAntiAffinityModes
{
    public const string Preferred = "preferred";
    public const string Required = "required";
    public const string None = "none";
}
