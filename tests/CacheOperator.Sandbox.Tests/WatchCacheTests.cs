using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Kubelet;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Sandbox.Tests;

public sealed class WatchCacheTests
{
    [Fact]
    public async Task Cache_FollowsWatchEvents_AndAReListAfter410ReportsWhatVanished()
    {
        var client = new InMemoryKubernetesClient();
        await client.CreateAsync(TestPods.ConfigMap("default", "a", new() { ["k"] = "1" }));
        var cache = new WatchCache<ConfigMap>(client, new ListOptions(), NullLogger.Instance);
        var deleted = new List<string>();
        cache.Deleted += cm => { lock (deleted) deleted.Add(cm.Metadata.Name!); };
        using var stop = new CancellationTokenSource();
        var run = cache.RunAsync(stop.Token);
        try
        {
            await cache.Synced.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("1", cache.Get("default", "a")!.Data!["k"]);
            await WaitUntilAsync(() => client.OpenWatchCount == 1);

            await client.CreateAsync(TestPods.ConfigMap("default", "b", new() { ["k"] = "2" }));
            await WaitUntilAsync(() => cache.Get("default", "b") is not null);

            // The watch fails with 410 and "a" is deleted while no watch is open: only the re-list can tell.
            client.ExpireHistory();
            client.CloseWatches(FakeErrors.Status(410, "Expired", "too old resource version"));
            await client.DeleteAsync<ConfigMap>("default", "a");
            await WaitUntilAsync(() => cache.Get("default", "a") is null);
            lock (deleted)
                Assert.Equal(["a"], deleted);
            Assert.NotNull(cache.Get("default", "b"));

            // A watch that simply ends is resumed.
            await WaitUntilAsync(() => client.OpenWatchCount == 1);
            client.CloseWatches();
            await client.CreateAsync(TestPods.ConfigMap("default", "c", new() { ["k"] = "3" }));
            await WaitUntilAsync(() => cache.Get("default", "c") is not null);
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Kubelet_WritesStatusOnlyWhenItChanges_AndNeverWritesPodMetadata()
    {
        var client = new InMemoryKubernetesClient();
        var dir = Directory.CreateTempSubdirectory("sandbox-fake-").FullName;
        var kubelet = new SandboxKubelet(client, new KubeletOptions
        {
            StateDirectory = dir,
            Images = ImageResolver.FromRepository(ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory)),
            ApiServer = new Uri("http://127.0.0.1:1/"),
            SyncInterval = TimeSpan.FromMilliseconds(100),
        });
        try
        {
            await kubelet.StartAsync();
            await client.CreateAsync(TestPods.Parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default",
                   "annotations":{"sandbox.cacheoperator.io/fault":"thaw"}},
                 "spec":{"nodeName":"sandbox-node","terminationGracePeriodSeconds":1,"containers":[{"name":"c",
                   "image":"ghcr.io/cacheoperator/cache-node:0.1.0","command":["/bin/sh","-c","sleep 60"]}]}}
                """));
            await WaitUntilAsync(async () => (await client.GetAsync<Pod>("default", "p"))?.Status?.Conditions?
                .Any(c => c.Type == "Ready" && c.Status == "True") == true);

            client.ClearRequests();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.DoesNotContain(client.Requests, r => r.IsWrite && r.Resource == "pods");

            await client.DeleteAsync<Pod>("default", "p");
            await WaitUntilAsync(async () => await client.GetAsync<Pod>("default", "p") is null);
            Assert.All(client.Requests.Where(r => r.IsWrite && r.Resource == "pods" && r.Verb != FakeVerb.Delete),
                r => Assert.Equal("status", r.Subresource));
        }
        finally
        {
            await kubelet.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
                return;
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }
}
