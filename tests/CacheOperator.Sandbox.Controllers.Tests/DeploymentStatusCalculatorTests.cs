using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Sandbox.Controllers.Deployments;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class DeploymentStatusCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_MidRollout_CountsAndConditions()
    {
        var input = new DeploymentPlanInput(2, "h2", [Pods.Ready("a", "h1"), Pods.Ready("b", "h1"), Pods.Starting("c", "h2"), Pods.Terminating("d", "h1")]);

        DeploymentStatus status = DeploymentStatusCalculator.Compute("web", input, 3, null, Now);

        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(3, status.Replicas);
        Assert.Equal(2, status.ReadyReplicas);
        Assert.Equal(2, status.AvailableReplicas);
        Assert.Equal(1, status.UpdatedReplicas);
        Assert.Equal(0, status.UnavailableReplicas);
        Condition available = Assert.Single(status.Conditions!, c => c.Type == "Available");
        Assert.Equal("True", available.Status);
        Condition progressing = Assert.Single(status.Conditions!, c => c.Type == "Progressing");
        Assert.Equal("ReplicaSetUpdated", progressing.Reason);
    }

    [Fact]
    public void Compute_Complete_ReportsNewReplicaSetAvailable()
    {
        var input = new DeploymentPlanInput(2, "h2", [Pods.Ready("a", "h2"), Pods.Ready("b", "h2")]);

        DeploymentStatus status = DeploymentStatusCalculator.Compute("web", input, 1, null, Now);

        Assert.Equal("NewReplicaSetAvailable", status.Conditions!.Single(c => c.Type == "Progressing").Reason);
        Assert.Equal(2, status.UpdatedReplicas);
    }

    [Fact]
    public void Compute_NotEnoughReady_AvailableFalse_AndTransitionTimeMovesOnlyOnChange()
    {
        var input = new DeploymentPlanInput(2, "h2", [Pods.Ready("a", "h2"), Pods.Starting("b", "h2")]);
        var earlier = Now.AddMinutes(-5);
        var previous = new DeploymentStatus
        {
            Conditions =
            [
                new Condition { Type = "Available", Status = "True", LastTransitionTime = earlier },
                new Condition { Type = "Progressing", Status = "True", LastTransitionTime = earlier },
            ],
        };

        DeploymentStatus status = DeploymentStatusCalculator.Compute("web", input, 1, previous, Now);

        Condition available = status.Conditions!.Single(c => c.Type == "Available");
        Assert.Equal("False", available.Status);
        Assert.Equal(Now, available.LastTransitionTime);
        Assert.Equal(earlier, status.Conditions!.Single(c => c.Type == "Progressing").LastTransitionTime);
        Assert.Equal(1, status.UnavailableReplicas);
    }
}
