using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>The StatefulSet controller stepped by hand against the in-memory API server.</summary>
public class StatefulSetControllerTests
{
    private readonly InMemoryKubernetesClient _client = new();
    private readonly StatefulSetController _controller;

    public StatefulSetControllerTests() => _controller = new StatefulSetController(_client);

    private Task ReconcileAsync(string name = "web") => _controller.ReconcileAsync(World.Ns, name);

    private async Task<StatefulSet> SetAsync(string name = "web") => (await _client.GetAsync<StatefulSet>(World.Ns, name))!;

    [Fact]
    public async Task OrderedReady_CreatesNextPodOnlyAfterPreviousIsReady()
    {
        await _client.CreateAsync(World.StatefulSet("web", 3));

        await ReconcileAsync();
        await ReconcileAsync();
        Assert.Equal(["web-0"], await World.PodNamesAsync(_client));

        await World.MarkReadyAsync(_client, "web-0");
        await ReconcileAsync();
        Assert.Equal(["web-0", "web-1"], await World.PodNamesAsync(_client));

        await World.MarkReadyAsync(_client, "web-1");
        await ReconcileAsync();
        Assert.Equal(["web-0", "web-1", "web-2"], await World.PodNamesAsync(_client));
    }

    [Fact]
    public async Task Parallel_CreatesAllPodsAtOnce()
    {
        await _client.CreateAsync(World.StatefulSet("web", 3, policy: "Parallel"));

        await ReconcileAsync();

        Assert.Equal(["web-0", "web-1", "web-2"], await World.PodNamesAsync(_client));
    }

    [Fact]
    public async Task Pod_CarriesIdentityLabelsOwnerAndHostname()
    {
        StatefulSet set = await _client.CreateAsync(World.StatefulSet("web", 1));

        await ReconcileAsync();

        Pod pod = Assert.Single(await World.PodsAsync(_client));
        Assert.Equal("web", pod.Metadata.Labels!["app"]);
        Assert.Equal("web-0", pod.Metadata.Labels[WellKnownLabels.StatefulSetPodName]);
        Assert.Equal("0", pod.Metadata.Labels[WellKnownLabels.PodIndex]);
        Assert.StartsWith("web-", pod.Metadata.Labels[WellKnownLabels.ControllerRevisionHash], StringComparison.Ordinal);
        var owner = Assert.Single(pod.Metadata.OwnerReferences!);
        Assert.Equal(("StatefulSet", "web", set.Metadata.Uid), (owner.Kind, owner.Name, owner.Uid));
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
        Assert.Equal("web-0", pod.Spec.Hostname);
        Assert.Equal("web-headless", pod.Spec.Subdomain);
        Assert.Equal("img:1", pod.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task ScaleDown_RemovesHighestOrdinalsFirst_OneAtATime()
    {
        await _client.CreateAsync(World.StatefulSet("web", 4, policy: "Parallel"));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        StatefulSet set = await SetAsync();
        set.Spec.Replicas = 2;
        set.Spec.PodManagementPolicy = null;
        await _client.ReplaceAsync(set);

        await World.HoldAsync(_client, "web-3");
        await ReconcileAsync();
        await ReconcileAsync();
        Assert.Equal(["web-0", "web-1", "web-2", "web-3"], await World.PodNamesAsync(_client));

        await World.ReleaseAsync(_client, "web-3");
        await ReconcileAsync();
        Assert.Equal(["web-0", "web-1"], await World.PodNamesAsync(_client));
    }

    [Fact]
    public async Task DeletedPod_IsRecreatedWithTheSameName_OnlyOnceItIsGone()
    {
        await _client.CreateAsync(World.StatefulSet("web", 2, policy: "Parallel"));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        string oldUid = (await _client.GetAsync<Pod>(World.Ns, "web-1"))!.Metadata.Uid!;

        await World.HoldAsync(_client, "web-1");
        await _client.DeleteAsync<Pod>(World.Ns, "web-1");
        await ReconcileAsync();
        Assert.NotNull((await _client.GetAsync<Pod>(World.Ns, "web-1"))!.Metadata.DeletionTimestamp);

        await World.ReleaseAsync(_client, "web-1");
        await ReconcileAsync();
        Pod recreated = (await _client.GetAsync<Pod>(World.Ns, "web-1"))!;
        Assert.NotEqual(oldUid, recreated.Metadata.Uid);
        Assert.Null(recreated.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task FailedPod_IsReplaced()
    {
        await _client.CreateAsync(World.StatefulSet("web", 1));
        await ReconcileAsync();
        string oldUid = (await _client.GetAsync<Pod>(World.Ns, "web-0"))!.Metadata.Uid!;
        await World.MarkFailedAsync(_client, "web-0");

        await ReconcileAsync();
        await ReconcileAsync();

        Pod pod = (await _client.GetAsync<Pod>(World.Ns, "web-0"))!;
        Assert.NotEqual(oldUid, pod.Metadata.Uid);
    }

    [Fact]
    public async Task RollingUpdate_ReplacesFromHighestOrdinal_EachAfterThePreviousIsReady()
    {
        await _client.CreateAsync(World.StatefulSet("web", 3, policy: "Parallel"));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        await ReconcileAsync();
        StatefulSet set = await SetAsync();
        string oldRevision = set.Status!.UpdateRevision!;
        set.Spec.Template.Spec.Containers[0].Image = "img:2";
        await _client.ReplaceAsync(set);

        var original = (await World.PodsAsync(_client)).ToDictionary(p => p.Metadata.Name!, p => p.Metadata.Uid);
        var replaced = new List<string>();
        for (int step = 0; step < 20 && replaced.Count < 3; step++)
        {
            await ReconcileAsync();
            var after = await World.PodsAsync(_client);
            foreach (Pod pod in after.Where(p => original[p.Metadata.Name!] != p.Metadata.Uid && !replaced.Contains(p.Metadata.Name!)))
                replaced.Add(pod.Metadata.Name!);
            // Never more than one pod down or not Ready at once.
            Assert.True(after.Count(p => !PodInspection.IsRunningAndReady(p)) + (3 - after.Count) <= 1);
            await World.MarkAllReadyAsync(_client);
        }

        Assert.Equal(["web-2", "web-1", "web-0"], replaced);
        await ReconcileAsync();
        set = await SetAsync();
        Assert.NotEqual(oldRevision, set.Status!.UpdateRevision);
        Assert.Equal(set.Status.UpdateRevision, set.Status.CurrentRevision);
        Assert.All(await World.PodsAsync(_client), p => Assert.Equal("img:2", p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task RollingUpdate_LeavesPodsBelowThePartition()
    {
        await _client.CreateAsync(World.StatefulSet("web", 3, policy: "Parallel", partition: 2));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        StatefulSet set = await SetAsync();
        set.Spec.Template.Spec.Containers[0].Image = "img:2";
        await _client.ReplaceAsync(set);

        for (int step = 0; step < 6; step++)
        {
            await ReconcileAsync();
            await World.MarkAllReadyAsync(_client);
        }

        Assert.Equal(["img:1", "img:1", "img:2"], (await World.PodsAsync(_client)).Select(p => p.Spec.Containers[0].Image));
        set = await SetAsync();
        Assert.Equal(1, set.Status!.UpdatedReplicas);
        Assert.Equal(2, set.Status.CurrentReplicas);
        Assert.NotEqual(set.Status.UpdateRevision, set.Status.CurrentRevision);
    }

    [Fact]
    public async Task OnDelete_LeavesPodsUntilTheyAreDeleted()
    {
        await _client.CreateAsync(World.StatefulSet("web", 2, policy: "Parallel", strategy: "OnDelete"));
        await ReconcileAsync();
        await World.MarkAllReadyAsync(_client);
        StatefulSet set = await SetAsync();
        set.Spec.Template.Spec.Containers[0].Image = "img:2";
        await _client.ReplaceAsync(set);

        await ReconcileAsync();
        await ReconcileAsync();
        Assert.All(await World.PodsAsync(_client), p => Assert.Equal("img:1", p.Spec.Containers[0].Image));

        await _client.DeleteAsync<Pod>(World.Ns, "web-0");
        await ReconcileAsync();
        Assert.Equal(["img:2", "img:1"], (await World.PodsAsync(_client)).Select(p => p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Status_CountsPodsAndIsWrittenOnlyWhenChanged()
    {
        await _client.CreateAsync(World.StatefulSet("web", 3, policy: "Parallel"));
        await ReconcileAsync();
        await World.MarkReadyAsync(_client, "web-0");
        await World.MarkReadyAsync(_client, "web-1");
        await ReconcileAsync();

        StatefulSet set = await SetAsync();
        Assert.Equal(set.Metadata.Generation, set.Status!.ObservedGeneration);
        Assert.Equal(3, set.Status.Replicas);
        Assert.Equal(2, set.Status.ReadyReplicas);
        Assert.Equal(2, set.Status.AvailableReplicas);
        Assert.Equal(3, set.Status.CurrentReplicas);
        Assert.Equal(3, set.Status.UpdatedReplicas);
        Assert.Equal(set.Status.UpdateRevision, set.Status.CurrentRevision);
        Assert.Equal((await World.PodsAsync(_client))[0].Metadata.Labels![WellKnownLabels.ControllerRevisionHash], set.Status.UpdateRevision);

        _client.ClearRequests();
        await ReconcileAsync();
        Assert.DoesNotContain(_client.Requests, r => r.Verb == FakeVerb.ReplaceStatus);
    }

    [Fact]
    public async Task PodsOwnedBySomethingElse_AreLeftAlone()
    {
        await _client.CreateAsync(World.StatefulSet("web", 1));
        await _client.CreateAsync(new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new() { Name = "web-5", Namespace = World.Ns },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "x" }] },
        });

        await ReconcileAsync();

        Assert.Equal(["web-0", "web-5"], await World.PodNamesAsync(_client));
    }
}
