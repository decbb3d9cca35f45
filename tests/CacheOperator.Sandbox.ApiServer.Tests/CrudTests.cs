using System.Net;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class CrudTests : ServerTestBase
{
    [Fact]
    public async Task Create_SetsUidCreationTimestampResourceVersionAndGeneration()
    {
        var created = await CreateConfigMapAsync("a");

        var metadata = created["metadata"]!;
        Assert.False(string.IsNullOrEmpty(metadata["uid"]?.GetValue<string>()));
        Assert.EndsWith("Z", metadata["creationTimestamp"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(long.Parse(metadata["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(1, metadata["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task ResourceVersion_IsOneCounterAcrossKinds()
    {
        var first = await CreateConfigMapAsync("a");
        var secret = await PostAsync("/api/v1/namespaces/default/secrets", """{"metadata":{"name":"s"},"stringData":{"x":"y"}}""");
        var second = await CreateConfigMapAsync("b");

        var rvs = new[] { first, secret.Object, second }.Select(o => long.Parse(o["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(rvs[0] < rvs[1] && rvs[1] < rvs[2], string.Join(",", rvs));
        Assert.Equal("eQ==", secret.Str("data", "x"));
        Assert.Equal("Opaque", secret.Str("type"));
    }

    [Fact]
    public async Task Create_ExistingName_IsAlreadyExists()
    {
        await CreateConfigMapAsync("a");

        var again = await PostAsync("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"a"}}""");

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("AlreadyExists", again.Str("reason"));
        Assert.Equal("configmaps \"a\" already exists", again.Str("message"));
    }

    [Fact]
    public async Task Create_InMissingNamespace_IsNotFound()
    {
        var response = await PostAsync("/api/v1/namespaces/nope/configmaps", """{"metadata":{"name":"a"}}""");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("namespaces \"nope\" not found", response.Str("message"));
    }

    [Fact]
    public async Task Create_WithGenerateName_GetsARandomSuffix()
    {
        var response = await PostAsync("/api/v1/namespaces/default/configmaps", """{"metadata":{"generateName":"gen-"}}""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Matches("^gen-[a-z0-9]{5}$", response.Str("metadata", "name"));
    }

    [Fact]
    public async Task Get_Missing_IsNotFoundStatus()
    {
        var response = await GetAsync("/apis/apps/v1/namespaces/default/deployments/none");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Status", response.Str("kind"));
        Assert.Equal("NotFound", response.Str("reason"));
        Assert.Equal("deployments.apps \"none\" not found", response.Str("message"));
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_IsConflict()
    {
        var created = await CreateConfigMapAsync("a");
        var stale = created.ToJsonString();
        created["data"]!["k"] = "changed";
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("/api/v1/namespaces/default/configmaps/a", created.ToJsonString())).Status);

        var response = await PutAsync("/api/v1/namespaces/default/configmaps/a", stale);

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("Conflict", response.Str("reason"));
        Assert.Equal("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again", response.Str("message"));
    }

    [Fact]
    public async Task Update_WithoutChanges_KeepsResourceVersion()
    {
        var created = await CreateConfigMapAsync("a");

        var response = await PutAsync("/api/v1/namespaces/default/configmaps/a", created.ToJsonString());

        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), response.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Update_OfSpec_BumpsGeneration_ButMetadataChangeDoesNot()
    {
        var deployment = await PostAsync("/apis/apps/v1/namespaces/default/deployments", """{"metadata":{"name":"d"},"spec":{"replicas":1,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}}}}}""");
        var body = deployment.Object;
        body["metadata"]!["labels"] = Parse("""{"x":"y"}""");
        var labelled = await PutAsync("/apis/apps/v1/namespaces/default/deployments/d", body.ToJsonString());
        Assert.Equal("1", labelled.Str("metadata", "generation"));

        var next = labelled.Object;
        next["spec"]!["replicas"] = 3;
        var scaled = await PutAsync("/apis/apps/v1/namespaces/default/deployments/d", next.ToJsonString());

        Assert.Equal("2", scaled.Str("metadata", "generation"));
    }

    [Fact]
    public async Task Update_MainEndpoint_IgnoresStatus_AndStatusEndpointChangesOnlyStatus()
    {
        var created = await PostAsync("/apis/apps/v1/namespaces/default/statefulsets", """{"metadata":{"name":"s"},"spec":{"replicas":2},"status":{"replicas":9}}""");
        Assert.Null(created.Object["status"]);

        var withStatus = created.Object;
        withStatus["status"] = Parse("""{"replicas":2,"readyReplicas":2}""");
        withStatus["spec"]!["replicas"] = 7;
        var status = await PutAsync("/apis/apps/v1/namespaces/default/statefulsets/s/status", withStatus.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal("2", status.Str("status", "readyReplicas"));
        Assert.Equal("2", status.Str("spec", "replicas"));
        Assert.Equal("1", status.Str("metadata", "generation"));

        var main = status.Object;
        main["status"] = Parse("""{"replicas":0}""");
        var updated = await PutAsync("/apis/apps/v1/namespaces/default/statefulsets/s", main.ToJsonString());
        Assert.Equal("2", updated.Str("status", "readyReplicas"));
    }

    [Fact]
    public async Task Scale_OfStatefulSet_ReadsAndWritesSpecReplicas()
    {
        await PostAsync("/apis/apps/v1/namespaces/default/statefulsets", """{"metadata":{"name":"s"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"s"}}}}""");

        var scale = await GetAsync("/apis/apps/v1/namespaces/default/statefulsets/s/scale");
        Assert.Equal("Scale", scale.Str("kind"));
        Assert.Equal("autoscaling/v1", scale.Str("apiVersion"));
        Assert.Equal("2", scale.Str("spec", "replicas"));
        Assert.Equal("app=s", scale.Str("status", "selector"));

        var put = await PutAsync("/apis/apps/v1/namespaces/default/statefulsets/s/scale", """{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"s"},"spec":{"replicas":4}}""");
        Assert.Equal("4", put.Str("spec", "replicas"));

        var patched = await PatchAsync("/apis/apps/v1/namespaces/default/statefulsets/s/scale", "application/merge-patch+json", """{"spec":{"replicas":5}}""");
        Assert.Equal("5", patched.Str("spec", "replicas"));
        Assert.Equal("5", (await GetAsync("/apis/apps/v1/namespaces/default/statefulsets/s")).Str("spec", "replicas"));
    }

    [Fact]
    public async Task DeleteNamespace_DeletesItsObjects()
    {
        await PostAsync("/api/v1/namespaces", """{"metadata":{"name":"team"}}""");
        await CreateConfigMapAsync("a", "team");

        var deleted = await DeleteAsync("/api/v1/namespaces/team");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/team/configmaps/a")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/team")).Status);
    }

    [Fact]
    public async Task Service_GetsAClusterIp_ThatAnUpdateWithoutOneKeeps()
    {
        var created = await PostAsync("/api/v1/namespaces/default/services", """{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""");
        var ip = created.Str("spec", "clusterIP");
        Assert.StartsWith("10.96.", ip, StringComparison.Ordinal);

        var patched = await PatchAsync("/api/v1/namespaces/default/services/s", "application/merge-patch+json", """{"spec":{"clusterIP":null,"clusterIPs":null}}""");

        Assert.Equal(ip, patched.Str("spec", "clusterIP"));
    }

    [Fact]
    public async Task DryRun_DoesNotStore()
    {
        var response = await PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", """{"metadata":{"name":"dry"}}""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/namespaces/default/configmaps/dry")).Status);
    }
}
