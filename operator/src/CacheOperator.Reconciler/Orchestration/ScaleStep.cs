namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The result of one scale step: the ConfigMap keys to store and the events to record.</summary>
public sealed record ScaleStep(string? MembersJson, string? OrchestrationJson, ScaleOperation? Operation, IReadOnlyList<ScaleEvent> Events)
{
    public bool InProgress => Operation is { Active: true };
}
