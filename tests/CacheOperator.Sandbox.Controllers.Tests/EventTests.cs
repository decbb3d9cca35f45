using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Runtime;
using CacheOperator.Sandbox.Controllers.Scheduling;
using CacheOperator.Sandbox.Controllers.StatefulSets;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class EventTests
{
    private readonly InMemoryKubernetesClient _client = new();

    private async Task<List<Event>> EventsAsync() => [.. (await _client.ListAsync<Event>(World.Ns)).Items];

    [Fact]
    public async Task StatefulSet_RecordsPodCreationAndDeletion()
    {
        var controller = new StatefulSetController(_client, new EventRecorder(_client, "controller-manager", TimeProvider.System));
        var set = await _client.CreateAsync(World.StatefulSet("web", 1));
        await controller.ReconcileAsync(World.Ns, "web");
        set = (await _client.GetAsync<Kubernetes.Models.Apps.StatefulSet>(World.Ns, "web"))!;
        set.Spec.Replicas = 0;
        await _client.ReplaceAsync(set);

        await controller.ReconcileAsync(World.Ns, "web");

        List<Event> events = await EventsAsync();
        Assert.Equal(["SuccessfulCreate", "SuccessfulDelete"], events.OrderBy(e => e.Reason).Select(e => e.Reason));
        Event created = events.Single(e => e.Reason == "SuccessfulCreate");
        Assert.Equal(("StatefulSet", "web", set.Metadata.Uid), (created.InvolvedObject.Kind, created.InvolvedObject.Name, created.InvolvedObject.Uid));
        Assert.Equal("create Pod web-0 in StatefulSet web successful", created.Message);
        Assert.Equal("Normal", created.Type);
    }

    [Fact]
    public async Task Scheduler_RecordsFailureOnceThenAssignment()
    {
        var scheduler = new PodScheduler(_client, TimeProvider.System, TimeSpan.FromSeconds(10),
            new EventRecorder(_client, "default-scheduler", TimeProvider.System));
        await _client.CreateAsync(new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new() { Name = "p", Namespace = World.Ns },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "x" }] },
        });

        await scheduler.ReconcileAsync(World.Ns, "p");
        await scheduler.ReconcileAsync(World.Ns, "p");
        await World.CreateNodeAsync(_client, "sandbox-node");
        await scheduler.ReconcileAsync(World.Ns, "p");

        List<Event> events = await EventsAsync();
        Event failed = Assert.Single(events, e => e.Reason == "FailedScheduling");
        Assert.Equal("Warning", failed.Type);
        Event scheduled = Assert.Single(events, e => e.Reason == "Scheduled");
        Assert.Equal("Successfully assigned default/p to sandbox-node", scheduled.Message);
        Assert.Equal(("Pod", "p"), (scheduled.InvolvedObject.Kind, scheduled.InvolvedObject.Name));
    }
}
