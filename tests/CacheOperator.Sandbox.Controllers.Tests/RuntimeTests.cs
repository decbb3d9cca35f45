using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Sandbox.Controllers.Runtime;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class RuntimeTests
{
    [Fact]
    public async Task KeyQueue_AddedTwice_IsHandedOutOnce()
    {
        var queue = new KeyQueue();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None));
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(none.Token));
    }

    [Fact]
    public async Task KeyQueue_KeyAddedWhileActive_WaitsForDoneThenRunsAgain()
    {
        var queue = new KeyQueue();
        queue.Add("a");
        string key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        using (var early = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(early.Token));

        queue.Done(key);
        using var late = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal("a", await queue.TakeAsync(late.Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Controllers_KeepWorking_AfterWatchesEndOrExpire(bool expire)
    {
        var client = new InMemoryKubernetesClient();
        await using var controllers = await SandboxControllers.StartAsync(client,
            new SandboxControllersOptions { RunScheduler = false, RunEndpoints = false });
        await World.WaitUntilAsync(() => Task.FromResult(client.OpenWatchCount == 3), "three watches");

        if (expire)
        {
            await client.CreateAsync(World.StatefulSet("unrelated", 0));
            client.ExpireHistory();
            client.CloseWatches(new Status { Code = 410, Reason = "Expired", Message = "too old resource version" });
        }
        else
        {
            client.CloseWatches();
        }
        await client.CreateAsync(World.StatefulSet("web", 1));

        await World.WaitUntilAsync(async () => (await World.PodNamesAsync(client)).SequenceEqual(["web-0"])
            && (await client.GetAsync<StatefulSet>(World.Ns, "web"))!.Status is not null, "web-0 and the set's status");
    }
}
