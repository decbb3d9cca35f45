namespace CacheOperator.Api.V1Alpha1;

/// <summary>The condition types the operator sets in <c>status.conditions</c>.</summary>
public static class ConditionTypes
{
    /// <summary>Every shard has a ready primary and every router serves the current ring.</summary>
    public const string Ready = "Ready";
    /// <summary>The operator is moving the cluster toward its spec (creating, scaling, warming up, failing over).</summary>
    public const string Progressing = "Progressing";
    /// <summary>Some shard or router is unavailable, or the spec is invalid.</summary>
    public const string Degraded = "Degraded";
}
