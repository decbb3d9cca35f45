namespace CacheOperator.Sandbox.Controllers.StatefulSets;

/// <summary>The next steps for a StatefulSet: ordinals to create (from the current template) and pods to delete.</summary>
public sealed record StatefulSetPlan(IReadOnlyList<int> Create, IReadOnlyList<string> Delete)
{
    public bool IsEmpty => Create.Count == 0 && Delete.Count == 0;
}
