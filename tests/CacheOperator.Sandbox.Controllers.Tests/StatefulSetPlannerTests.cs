using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class StatefulSetPlannerTests
{
    private static StatefulSetPlan Plan(int replicas, IReadOnlyList<PodFacts> pods, bool parallel = false,
        bool rollingUpdate = true, int partition = 0, string revision = "r1") =>
        StatefulSetPlanner.Plan(new StatefulSetPlanInput("web", replicas, revision, pods)
        {
            Parallel = parallel,
            RollingUpdate = rollingUpdate,
            Partition = partition,
        });

    [Fact]
    public void OrderedReady_NoPods_CreatesOnlyOrdinalZero()
    {
        StatefulSetPlan plan = Plan(3, []);

        Assert.Equal([0], plan.Create);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void OrderedReady_PreviousPodNotReady_Waits()
    {
        StatefulSetPlan plan = Plan(3, [Pods.Ready("web-0"), Pods.Starting("web-1")]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void OrderedReady_PreviousPodsReady_CreatesNextOrdinal()
    {
        StatefulSetPlan plan = Plan(3, [Pods.Ready("web-0"), Pods.Ready("web-1")]);

        Assert.Equal([2], plan.Create);
    }

    [Fact]
    public void Parallel_NoPods_CreatesAll()
    {
        StatefulSetPlan plan = Plan(3, [], parallel: true);

        Assert.Equal([0, 1, 2], plan.Create);
    }

    [Fact]
    public void Parallel_DoesNotWaitForReadiness()
    {
        StatefulSetPlan plan = Plan(3, [Pods.Starting("web-0")], parallel: true);

        Assert.Equal([1, 2], plan.Create);
    }

    [Fact]
    public void MissingLowOrdinal_IsRecreatedWithTheSameOrdinal()
    {
        StatefulSetPlan plan = Plan(3, [Pods.Ready("web-0"), Pods.Ready("web-2")]);

        Assert.Equal([1], plan.Create);
        Assert.Empty(plan.Delete);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TerminatingPod_IsNotRecreatedUntilGone(bool parallel)
    {
        StatefulSetPlan plan = Plan(2, [Pods.Ready("web-0"), Pods.Terminating("web-1")], parallel);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void FailedPod_IsDeleted()
    {
        StatefulSetPlan plan = Plan(2, [Pods.Ready("web-0"), Pods.Failed("web-1")]);

        Assert.Equal(["web-1"], plan.Delete);
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void OrderedReady_ScaleDown_DeletesHighestOrdinalOnly()
    {
        StatefulSetPlan plan = Plan(2, Pods.ReadySet("web", 5));

        Assert.Equal(["web-4"], plan.Delete);
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void OrderedReady_ScaleDown_WaitsForTheDeletedPodToBeGone()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 4);
        pods[3] = Pods.Terminating("web-3");

        Assert.True(Plan(2, pods).IsEmpty);
    }

    [Fact]
    public void OrderedReady_ScaleDown_WaitsWhileAnotherPodIsUnhealthy()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 4);
        pods[0] = Pods.Starting("web-0");

        Assert.True(Plan(2, pods).IsEmpty);
    }

    [Fact]
    public void OrderedReady_ScaleDown_MayDeleteTheUnhealthyCondemnedPod()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 3);
        pods[2] = Pods.Starting("web-2");

        Assert.Equal(["web-2"], Plan(2, pods).Delete);
    }

    [Fact]
    public void Parallel_ScaleDown_DeletesAllCondemnedAtOnce()
    {
        StatefulSetPlan plan = Plan(1, Pods.ReadySet("web", 4), parallel: true);

        Assert.Equal(["web-3", "web-2", "web-1"], plan.Delete);
    }

    [Fact]
    public void RollingUpdate_ReplacesHighestOrdinalFirst()
    {
        StatefulSetPlan plan = Plan(3, Pods.ReadySet("web", 3, "r1"), revision: "r2");

        Assert.Equal(["web-2"], plan.Delete);
    }

    [Fact]
    public void RollingUpdate_AfterTopPodUpdatedAndReady_ReplacesNextOne()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 3, "r1");
        pods[2] = Pods.Ready("web-2", "r2");

        Assert.Equal(["web-1"], Plan(3, pods, revision: "r2").Delete);
    }

    [Fact]
    public void RollingUpdate_WaitsForReplacedPodToBeReady()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 3, "r1");
        pods[2] = Pods.Starting("web-2", "r2");

        Assert.True(Plan(3, pods, parallel: true, revision: "r2").IsEmpty);
        Assert.True(Plan(3, pods, revision: "r2").IsEmpty);
    }

    [Fact]
    public void RollingUpdate_HonoursPartition()
    {
        List<PodFacts> pods = Pods.ReadySet("web", 3, "r1");
        pods[2] = Pods.Ready("web-2", "r2");

        Assert.True(Plan(3, pods, partition: 2, revision: "r2").IsEmpty);
    }

    [Fact]
    public void OnDelete_LeavesOutdatedPods()
    {
        Assert.True(Plan(3, Pods.ReadySet("web", 3, "r1"), rollingUpdate: false, revision: "r2").IsEmpty);
    }

    [Fact]
    public void PodsOfOtherNames_AreIgnored()
    {
        StatefulSetPlan plan = Plan(1, [Pods.Ready("web-0"), Pods.Ready("web-x"), Pods.Ready("webby-3")]);

        Assert.True(plan.IsEmpty);
    }
}
