namespace CacheOperator.Sandbox.Controllers.Deployments;

/// <summary>The next steps for a Deployment: how many pods to create from the current template, which to delete.</summary>
public sealed record DeploymentPlan(int Create, IReadOnlyList<string> Delete)
{
    public bool IsEmpty => Create == 0 && Delete.Count == 0;
}
