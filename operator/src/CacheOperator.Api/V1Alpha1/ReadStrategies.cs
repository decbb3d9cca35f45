namespace CacheOperator.Api.V1Alpha1;

/// <summary>Values of <c>spec.router.readStrategy</c>.</summary>
public static class ReadStrategies
{
    public const string Random = "random";
    public const string LeastOutstanding = "leastOutstanding";
}
