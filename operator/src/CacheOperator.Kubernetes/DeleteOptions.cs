namespace CacheOperator.Kubernetes;

/// <summary>Body of a delete request.</summary>
public sealed record DeleteOptions
{
    /// <summary>"Background", "Foreground" or "Orphan"; null = the server's default.</summary>
    public string? PropagationPolicy { get; init; }
    public long? GracePeriodSeconds { get; init; }
    /// <summary>Delete only if the object still has this uid (a precondition).</summary>
    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }

    public static DeleteOptions Background { get; } = new() { PropagationPolicy = "Background" };
    public static DeleteOptions Foreground { get; } = new() { PropagationPolicy = "Foreground" };
}
