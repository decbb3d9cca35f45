using CacheOperator.Sandbox.Controllers.Deployments;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class DeploymentPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PodFacts At(PodFacts pod, int minutes) => pod with { Created = T0.AddMinutes(minutes) };

    private static DeploymentPlan Plan(int replicas, IReadOnlyList<PodFacts> pods, string hash = "h2",
        int maxSurge = 1, int maxUnavailable = 0, bool recreate = false) =>
        DeploymentPlanner.Plan(new DeploymentPlanInput(replicas, hash, pods)
        {
            MaxSurge = maxSurge,
            MaxUnavailable = maxUnavailable,
            Recreate = recreate,
        });

    [Fact]
    public void NoPods_CreatesReplicas()
    {
        DeploymentPlan plan = Plan(3, []);

        Assert.Equal(3, plan.Create);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void ScaleDown_DeletesNotReadyThenNewestFirst()
    {
        PodFacts[] pods =
        [
            At(Pods.Ready("a", "h2"), 1),
            At(Pods.Ready("b", "h2"), 3),
            At(Pods.Starting("c", "h2"), 0),
            At(Pods.Ready("d", "h2"), 2),
        ];

        DeploymentPlan plan = Plan(1, pods);

        Assert.Equal(["c", "b", "d"], plan.Delete);
        Assert.Equal(0, plan.Create);
    }

    [Fact]
    public void ScaleDown_UnscheduledGoFirst()
    {
        PodFacts[] pods = [At(Pods.Starting("a", "h2"), 1), At(new PodFacts("b", "h2"), 0)];

        Assert.Equal(["b"], Plan(1, pods).Delete);
    }

    [Fact]
    public void RollingUpdate_SurgesOneNewPodFirst()
    {
        DeploymentPlan plan = Plan(2, [Pods.Ready("a", "h1"), Pods.Ready("b", "h1")]);

        Assert.Equal(1, plan.Create);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void RollingUpdate_NewPodNotReady_DeletesNothing()
    {
        DeploymentPlan plan = Plan(2, [Pods.Ready("a", "h1"), Pods.Ready("b", "h1"), Pods.Starting("c", "h2")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void RollingUpdate_NewPodReady_DeletesOneOldPod()
    {
        DeploymentPlan plan = Plan(2, [At(Pods.Ready("a", "h1"), 0), At(Pods.Ready("b", "h1"), 1), Pods.Ready("c", "h2")]);

        Assert.Equal(["b"], plan.Delete);
        Assert.Equal(0, plan.Create);
    }

    [Fact]
    public void RollingUpdate_OldPodNotReady_IsDeletedFirstAtNoCost()
    {
        DeploymentPlan plan = Plan(2, [Pods.Ready("a", "h1"), Pods.Starting("b", "h1"), Pods.Starting("c", "h2")],
            maxSurge: 1, maxUnavailable: 1);

        Assert.Contains("b", plan.Delete);
        Assert.DoesNotContain("a", plan.Delete);
    }

    [Fact]
    public void RollingUpdate_OneOldLeftAndNewCountsShort_CreatesNext()
    {
        DeploymentPlan plan = Plan(2, [Pods.Ready("a", "h1"), Pods.Ready("c", "h2")]);

        Assert.Equal(1, plan.Create);
    }

    [Fact]
    public void RollingUpdate_WalksToCompletion()
    {
        // Drive the planner the way the controller does, with pods becoming Ready at once, and check the
        // invariants of maxSurge 1 / maxUnavailable 0 at every step.
        var pods = new List<PodFacts> { Pods.Ready("o0", "h1"), Pods.Ready("o1", "h1"), Pods.Ready("o2", "h1") };
        int created = 0;
        for (int step = 0; step < 20; step++)
        {
            DeploymentPlan plan = Plan(3, pods);
            if (plan.IsEmpty)
                break;
            pods.RemoveAll(p => plan.Delete.Contains(p.Name));
            for (int i = 0; i < plan.Create; i++)
                pods.Add(Pods.Ready($"n{created++}", "h2"));
            Assert.InRange(pods.Count, 3, 4);
        }

        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("h2", p.Revision));
    }

    [Fact]
    public void Recreate_DeletesAllOldPodsFirst()
    {
        DeploymentPlan plan = Plan(2, [Pods.Ready("a", "h1"), Pods.Ready("b", "h1")], recreate: true);

        Assert.Equal(["a", "b"], plan.Delete.Order());
        Assert.Equal(0, plan.Create);
    }

    [Fact]
    public void Recreate_WaitsForOldPodsToBeGone()
    {
        Assert.True(Plan(2, [Pods.Terminating("a", "h1")], recreate: true).IsEmpty);
        Assert.Equal(2, Plan(2, [], recreate: true).Create);
    }

    [Fact]
    public void FailedPods_AreDeletedAndReplaced()
    {
        DeploymentPlan plan = Plan(2, [Pods.Ready("a", "h2"), Pods.Failed("b", "h2")]);

        Assert.Equal(["b"], plan.Delete);
        Assert.Equal(1, plan.Create);
    }

    [Theory]
    [InlineData(null, null, 4, 1, 1)]
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("50%", "50%", 3, 2, 1)]
    [InlineData("0", "0", 3, 0, 1)]
    [InlineData("1", "0", 3, 1, 0)]
    public void RollingBudget_ResolvesPercentagesAndCounts(string? surge, string? unavailable, int replicas,
        int expectedSurge, int expectedUnavailable)
    {
        static Kubernetes.Models.IntOrString? Parse(string? v) =>
            v is null ? null : v.EndsWith('%') ? v : int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);

        var (maxSurge, maxUnavailable) = RollingBudget.Resolve(Parse(surge), Parse(unavailable), replicas);

        Assert.Equal(expectedSurge, maxSurge);
        Assert.Equal(expectedUnavailable, maxUnavailable);
    }
}
