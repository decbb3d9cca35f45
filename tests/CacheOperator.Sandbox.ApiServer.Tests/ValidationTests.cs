using System.Net;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class ValidationTests : ServerTestBase
{
    [Theory]
    [InlineData("/api/v1/namespaces/default/configmaps", "Bad_Name", "a lowercase RFC 1123 subdomain must consist of")]
    [InlineData("/api/v1/namespaces", "with.dot", "a lowercase RFC 1123 label must consist of")]
    [InlineData("/api/v1/namespaces/default/services", "1abc", "a DNS-1035 label must consist of")]
    public async Task Create_WithInvalidName_IsInvalid(string path, string name, string expected)
    {
        var response = await PostAsync(path, "{\"metadata\":{\"name\":\"" + name + "\"}}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains($"metadata.name: Invalid value: \"{name}\": {expected}", response.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterRole_MayHaveColonsInItsName()
    {
        var response = await PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", """{"metadata":{"name":"system:controller:x"}}""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Theory]
    [InlineData("bad key", "v")]
    [InlineData("example.com/ok", "not ok")]
    [InlineData("Bad_Prefix/name", "v")]
    public async Task Create_WithInvalidLabel_IsInvalid(string key, string value)
    {
        var response = await PostAsync("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"c\",\"labels\":{\"" + key + "\":\"" + value + "\"}}}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("metadata.labels: Invalid value", response.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigMap_WithInvalidKey_IsInvalid()
    {
        var response = await PostAsync("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"c"},"data":{"no spaces":"x"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("data[no spaces]: Invalid value: \"no spaces\": a valid config key", response.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImmutableConfigMap_RejectsDataChanges()
    {
        await PostAsync("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"c"},"data":{"a":"1"},"immutable":true}""");

        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "application/merge-patch+json", """{"data":{"a":"2"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("data: Forbidden: field is immutable when `immutable` is set", response.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatefulSet_SpecOutsideTheMutableFields_IsForbidden_ButReplicasAndTemplateChange()
    {
        await PostAsync("/apis/apps/v1/namespaces/default/statefulsets", """{"metadata":{"name":"s"},"spec":{"replicas":1,"serviceName":"a","selector":{"matchLabels":{"x":"y"}},"template":{"metadata":{"labels":{"x":"y"}}}}}""");

        var allowed = await PatchAsync("/apis/apps/v1/namespaces/default/statefulsets/s", "application/merge-patch+json", """{"spec":{"replicas":3,"template":{"metadata":{"labels":{"x":"y","v":"2"}}}}}""");
        var forbidden = await PatchAsync("/apis/apps/v1/namespaces/default/statefulsets/s", "application/merge-patch+json", """{"spec":{"serviceName":"b"}}""");

        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forbidden.Status);
        Assert.Equal("StatefulSet.apps \"s\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden", forbidden.Str("message"));
    }

    [Fact]
    public async Task Deployment_Selector_IsImmutable()
    {
        await PostAsync("/apis/apps/v1/namespaces/default/deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"x":"y"}}}}""");

        var response = await PatchAsync("/apis/apps/v1/namespaces/default/deployments/d", "application/merge-patch+json", """{"spec":{"selector":{"matchLabels":{"x":"z"}}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("spec.selector: Invalid value", response.Str("message"), StringComparison.Ordinal);
        Assert.Contains("field is immutable", response.Str("message"), StringComparison.Ordinal);
    }
}
