namespace CacheOperator.Sandbox.Controllers.Scheduling;

/// <summary>What the scheduler needs to know about a node.</summary>
public sealed record NodeFacts(string Name)
{
    /// <summary>Condition Ready True.</summary>
    public bool Ready { get; init; }

    /// <summary>spec.unschedulable (cordoned).</summary>
    public bool Unschedulable { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Pods bound to the node and not finished.</summary>
    public int PodCount { get; init; }
}
