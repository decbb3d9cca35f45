using System.Net;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class DeletionTests : ServerTestBase
{
    protected override SandboxApiServerOptions Options => new() { GarbageCollectionInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task Delete_WithFinalizers_SetsDeletionTimestamp_AndRemovesWhenFinalizersEmpty()
    {
        await CreateConfigMapAsync("c", extraMetadata: "\"finalizers\":[\"example.io/cleanup\"]");

        var deleted = await DeleteAsync("/api/v1/namespaces/default/configmaps/c");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.NotNull(deleted.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal("2", deleted.Str("metadata", "generation"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/namespaces/default/configmaps/c")).Status);

        var emptied = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "application/merge-patch+json", """{"metadata":{"finalizers":null}}""");

        Assert.Equal(HttpStatusCode.OK, emptied.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/default/configmaps/c")).Status);
    }

    [Fact]
    public async Task Delete_WithoutFinalizers_ReturnsTheObject()
    {
        await CreateConfigMapAsync("c");

        var deleted = await DeleteAsync("/api/v1/namespaces/default/configmaps/c", """{"propagationPolicy":"Background"}""");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("c", deleted.Str("metadata", "name"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/default/configmaps/c")).Status);
    }

    [Fact]
    public async Task Delete_WithStalePrecondition_IsConflict()
    {
        await CreateConfigMapAsync("c");

        var deleted = await DeleteAsync("/api/v1/namespaces/default/configmaps/c", """{"preconditions":{"resourceVersion":"1"}}""");

        Assert.Equal(HttpStatusCode.Conflict, deleted.Status);
    }

    [Fact]
    public async Task Delete_OfPodOnRegisteredNode_IsGraceful_UntilGracePeriodZero()
    {
        await PostAsync("/api/v1/nodes", """{"metadata":{"name":"node-1"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"nodeName":"node-1","terminationGracePeriodSeconds":5,"containers":[{"name":"c","image":"i"}]}}""");

        var first = await DeleteAsync("/api/v1/namespaces/default/pods/p");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal("5", first.Str("metadata", "deletionGracePeriodSeconds"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/namespaces/default/pods/p")).Status);

        var confirm = await DeleteAsync("/api/v1/namespaces/default/pods/p", """{"gracePeriodSeconds":0}""");

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/default/pods/p")).Status);
    }

    [Fact]
    public async Task Delete_OfUnboundPod_RemovesAtOnce()
    {
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"nodeName":"unregistered","containers":[{"name":"c","image":"i"}]}}""");

        await DeleteAsync("/api/v1/namespaces/default/pods/p");

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/default/pods/p")).Status);
    }

    [Fact]
    public async Task Background_DeletesDependentsAfterTheOwner()
    {
        var owner = await CreateConfigMapAsync("owner");
        await CreateConfigMapAsync("dependent", extraMetadata: OwnerRef(owner, block: false));

        await DeleteAsync("/api/v1/namespaces/default/configmaps/owner", """{"propagationPolicy":"Background"}""");

        Assert.True(await EventuallyGoneAsync("/api/v1/namespaces/default/configmaps/dependent"));
    }

    [Fact]
    public async Task Orphan_RemovesOwnerReferencesFromDependents()
    {
        var owner = await CreateConfigMapAsync("owner");
        await CreateConfigMapAsync("dependent", extraMetadata: OwnerRef(owner, block: true));

        await DeleteAsync("/api/v1/namespaces/default/configmaps/owner", """{"propagationPolicy":"Orphan"}""");
        Server.Collector.CollectOnce();

        var dependent = await GetAsync("/api/v1/namespaces/default/configmaps/dependent");
        Assert.Equal(HttpStatusCode.OK, dependent.Status);
        Assert.Null(dependent.Object["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Foreground_KeepsOwnerUntilBlockingDependentsAreGone()
    {
        await PostAsync("/api/v1/nodes", """{"metadata":{"name":"node-1"}}""");
        var owner = (await PostAsync("/apis/apps/v1/namespaces/default/statefulsets", """{"metadata":{"name":"owner"},"spec":{"replicas":1}}""")).Object;
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"pod",""" + OwnerRef(owner, block: true) + """},"spec":{"nodeName":"node-1","containers":[{"name":"c","image":"i"}]}}""");

        var deleted = await DeleteAsync("/apis/apps/v1/namespaces/default/statefulsets/owner", """{"propagationPolicy":"Foreground"}""");
        Assert.Contains("foregroundDeletion", deleted.Object["metadata"]!["finalizers"]!.ToJsonString(), StringComparison.Ordinal);
        Server.Collector.CollectOnce();
        Server.Collector.CollectOnce();

        var pod = await GetAsync("/api/v1/namespaces/default/pods/pod");
        Assert.NotNull(pod.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/apis/apps/v1/namespaces/default/statefulsets/owner")).Status);

        await DeleteAsync("/api/v1/namespaces/default/pods/pod", """{"gracePeriodSeconds":0}""");

        Assert.True(await EventuallyGoneAsync("/apis/apps/v1/namespaces/default/statefulsets/owner"));
    }

    [Fact]
    public async Task Dependent_WhoseOwnerNeverExisted_IsCollected()
    {
        await CreateConfigMapAsync("stray", extraMetadata: "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"ghost\",\"uid\":\"00000000-0000-0000-0000-000000000000\"}]");

        Assert.True(await EventuallyGoneAsync("/api/v1/namespaces/default/configmaps/stray"));
    }

    [Fact]
    public async Task DeleteCollection_DeletesMatchingObjects()
    {
        await CreateConfigMapAsync("a", labels: """{"x":"1"}""");
        await CreateConfigMapAsync("b", labels: """{"x":"2"}""");

        var response = await DeleteAsync("/api/v1/namespaces/default/configmaps?labelSelector=x%3D1");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/default/configmaps/a")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/namespaces/default/configmaps/b")).Status);
    }

    private static string OwnerRef(JsonObject owner, bool block) =>
        $$"""
        "ownerReferences":[{"apiVersion":"{{owner["apiVersion"]}}","kind":"{{owner["kind"]}}","name":"{{owner["metadata"]!["name"]}}","uid":"{{owner["metadata"]!["uid"]}}","blockOwnerDeletion":{{(block ? "true" : "false")}}}]
        """;

    private async Task<bool> EventuallyGoneAsync(string path)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await GetAsync(path)).Status == HttpStatusCode.NotFound)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
