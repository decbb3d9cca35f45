namespace CacheOperator.Api.V1Alpha1;

/// <summary>Values of <c>status.phase</c>: a one-word summary; conditions carry the detail.</summary>
public static class ClusterPhases
{
    public const string Pending = "Pending";
    public const string Creating = "Creating";
    public const string Running = "Running";
    public const string Degraded = "Degraded";
    public const string Scaling = "Scaling";
    public const string Failed = "Failed";
}
