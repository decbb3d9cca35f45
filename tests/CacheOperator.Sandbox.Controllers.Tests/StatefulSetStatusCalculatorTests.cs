using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class StatefulSetStatusCalculatorTests
{
    [Fact]
    public void Compute_MidRollout_CountsEachRevision()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 3, "r1");
        pods[2] = Pods.Starting("web-2", "r2");
        var input = new StatefulSetPlanInput("web", 3, "r2", pods);

        StatefulSetStatus status = StatefulSetStatusCalculator.Compute(input, 4, new StatefulSetStatus { CurrentRevision = "r1" });

        Assert.Equal(4, status.ObservedGeneration);
        Assert.Equal(3, status.Replicas);
        Assert.Equal(2, status.ReadyReplicas);
        Assert.Equal(2, status.AvailableReplicas);
        Assert.Equal(2, status.CurrentReplicas);
        Assert.Equal(1, status.UpdatedReplicas);
        Assert.Equal("r1", status.CurrentRevision);
        Assert.Equal("r2", status.UpdateRevision);
    }

    [Fact]
    public void Compute_RolloutComplete_CurrentRevisionBecomesUpdateRevision()
    {
        var input = new StatefulSetPlanInput("web", 3, "r2", Pods.ReadySet("web", 3, "r2"));

        StatefulSetStatus status = StatefulSetStatusCalculator.Compute(input, 2, new StatefulSetStatus { CurrentRevision = "r1" });

        Assert.Equal("r2", status.CurrentRevision);
        Assert.Equal(3, status.CurrentReplicas);
        Assert.Equal(3, status.UpdatedReplicas);
    }

    [Fact]
    public void Compute_TerminatingPodsCountAsReplicasButNotAsAnyRevision()
    {
        var input = new StatefulSetPlanInput("web", 1, "r1", [Pods.Ready("web-0"), Pods.Terminating("web-1")]);

        StatefulSetStatus status = StatefulSetStatusCalculator.Compute(input, 1, null);

        Assert.Equal(2, status.Replicas);
        Assert.Equal(1, status.UpdatedReplicas);
        Assert.Equal(1, status.CurrentReplicas);
    }
}
