namespace CacheOperator.Sandbox.Controllers;

/// <summary>
/// What the decision functions need to know about one owned pod, taken from the pod by
/// <see cref="PodInspection.Facts"/>. <see cref="Revision"/> is the template hash label the pod was created with.
/// </summary>
public sealed record PodFacts(string Name, string? Revision)
{
    /// <summary>Phase Running and condition Ready True.</summary>
    public bool Ready { get; init; }

    /// <summary>Phase Failed or Succeeded: the pod will not run again.</summary>
    public bool Finished { get; init; }

    /// <summary>deletionTimestamp set: the pod is going away and its name is not free yet.</summary>
    public bool Terminating { get; init; }

    /// <summary>spec.nodeName set.</summary>
    public bool Scheduled { get; init; }

    public DateTimeOffset? Created { get; init; }

    /// <summary>Ready and not terminating: a pod a rollout may count on.</summary>
    public bool Healthy => Ready && !Terminating;
}
