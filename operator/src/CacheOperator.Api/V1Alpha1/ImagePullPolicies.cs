namespace CacheOperator.Api.V1Alpha1;

/// <summary>Values of <c>spec.imagePullPolicy</c> (core/v1's).</summary>
public static class ImagePullPolicies
{
    public const string Always = "Always";
    public const string IfNotPresent = "IfNotPresent";
    public const string Never = "Never";
}
