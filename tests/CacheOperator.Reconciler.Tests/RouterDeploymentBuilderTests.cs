using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Tests;

/// <summary>What spec.router puts into the router pods' template.</summary>
public class RouterDeploymentBuilderTests
{
    private const string Token = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private static IList<Kubernetes.Models.Core.EnvVar> RouterEnv(string specJson)
    {
        var cluster = TestClusters.Inline("demo", specJson);
        var deployment = RouterDeploymentBuilder.Build(cluster, new ClusterNames("demo", TestClusters.Namespace), Token, new OperatorSettings());
        return deployment.Spec.Template.Spec.Containers.Single(c => c.Name == RouterDeploymentBuilder.ContainerName).Env!;
    }

    [Fact]
    public void PollMicroseconds_IsPassedToTheRouters_AsCacheNodePollUs()
    {
        var env = RouterEnv("""{"router":{"pollMicroseconds":30}}""");

        var poll = Assert.Single(env, e => e.Name == "CACHE_NODE_POLL_US");
        Assert.Equal("30", poll.Value);
    }

    [Fact]
    public void PollMicrosecondsAtItsDefault_LeavesTheEnvironmentAsRoutersHadItBefore_SoAnUpgradeDoesNotRollThem()
    {
        var unset = RouterEnv("{}");
        var zero = RouterEnv("""{"router":{"pollMicroseconds":0}}""");

        Assert.Equal([PodDefaults.PodIPEnv, PodDefaults.TokenFileEnv], unset.Select(e => e.Name));
        Assert.Equal([PodDefaults.PodIPEnv, PodDefaults.TokenFileEnv], zero.Select(e => e.Name));
    }
}
