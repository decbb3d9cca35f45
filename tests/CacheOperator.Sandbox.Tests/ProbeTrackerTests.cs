using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public class ProbeTrackerTests
{
    [Fact]
    public void Record_ChangesStateOnlyAtTheThresholds()
    {
        var tracker = new ProbeTracker(new Probe { SuccessThreshold = 2, FailureThreshold = 3 }, initial: false);
        Assert.False(tracker.Record(true));
        Assert.True(tracker.Record(true));
        Assert.True(tracker.State);
        Assert.False(tracker.Record(false));
        Assert.False(tracker.Record(false));
        Assert.False(tracker.Record(true));
        Assert.False(tracker.Record(false));
        Assert.False(tracker.Record(false));
        Assert.True(tracker.Record(false));
        Assert.False(tracker.State);
    }

    [Fact]
    public void Defaults_AreKubernetesDefaults()
    {
        var tracker = new ProbeTracker(new Probe(), initial: true);
        Assert.Equal(TimeSpan.FromSeconds(10), tracker.Period);
        Assert.Equal(TimeSpan.Zero, tracker.InitialDelay);
        Assert.False(tracker.Record(false));
        Assert.False(tracker.Record(false));
        Assert.True(tracker.Record(false));
    }

    [Fact]
    public void Backoff_DoublesToTheCapAndResetsAfterALongRun()
    {
        var backoff = RestartBackoff.Default();
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next(TimeSpan.FromSeconds(1)).TotalSeconds).ToList();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(1, backoff.Next(TimeSpan.FromMinutes(2)).TotalSeconds);
    }

    [Fact]
    public void ResolvePort_NamedPortComesFromTheContainer()
    {
        var container = new Container { Name = "c", Ports = [new ContainerPort { Name = "admin", Port = 11212 }] };
        Assert.Equal(11212, ProbeRunner.ResolvePort("admin", container));
        Assert.Equal(8080, ProbeRunner.ResolvePort(8080, container));
        Assert.Throws<ContainerConfigException>(() => ProbeRunner.ResolvePort("metrics", container));
    }
}
