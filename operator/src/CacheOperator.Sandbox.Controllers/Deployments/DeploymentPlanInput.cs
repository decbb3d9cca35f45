namespace CacheOperator.Sandbox.Controllers.Deployments;

/// <summary>What <see cref="DeploymentPlanner"/> decides from. MaxSurge and MaxUnavailable are already resolved to
/// pod counts (<see cref="RollingBudget"/>).</summary>
public sealed record DeploymentPlanInput(int Replicas, string TemplateHash, IReadOnlyList<PodFacts> Pods)
{
    /// <summary>strategy Recreate: every old pod is gone before the first new one is created.</summary>
    public bool Recreate { get; init; }

    public int MaxSurge { get; init; } = 1;

    public int MaxUnavailable { get; init; }
}
