namespace CacheOperator.Api.V1Alpha1;

/// <summary>Values of <c>status.members[].role</c>.</summary>
public static class MemberRoles
{
    public const string Primary = "primary";
    public const string Replica = "replica";
    public const string Standby = "standby";
}
