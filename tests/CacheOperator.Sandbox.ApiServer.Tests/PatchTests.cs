using System.Net;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class PatchTests : ServerTestBase
{
    private const string DeploymentPath = "/apis/apps/v1/namespaces/default/deployments";

    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","finalizers":["a"]},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
          "template":{"metadata":{"labels":{"app":"d"}},"spec":{
            "containers":[{"name":"main","image":"img:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":81}]},
                          {"name":"side","image":"side:1"}],
            "tolerations":[{"key":"x"}]}}}}
        """;

    [Fact]
    public async Task StrategicMerge_MergesListsByKey()
    {
        await PostAsync(DeploymentPath, Deployment);

        var patch = """
            {"metadata":{"finalizers":["b"]},"spec":{"template":{"spec":{
              "$setElementOrder/containers":[{"name":"main"},{"name":"side"}],
              "containers":[{"name":"main","image":"img:2","env":[{"name":"B","value":"3"},{"name":"A","$patch":"delete"}],"ports":[{"containerPort":81,"name":"admin"}]},
                            {"name":"new","image":"new:1"}],
              "tolerations":[{"key":"y"}]}}}}
            """;
        var response = await PatchAsync(DeploymentPath + "/d", "application/strategic-merge-patch+json", patch);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var spec = response.Object["spec"]!["template"]!["spec"]!;
        var containers = spec["containers"]!.AsArray();
        Assert.Equal(["main", "side", "new"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("img:2", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal("""[{"name":"B","value":"3"}]""", containers[0]!["env"]!.ToJsonString());
        Assert.Equal("""[{"containerPort":80},{"containerPort":81,"name":"admin"}]""", containers[0]!["ports"]!.ToJsonString());
        Assert.Equal("""[{"key":"y"}]""", spec["tolerations"]!.ToJsonString());
        Assert.Equal("""["a","b"]""", response.Object["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("2", response.Str("metadata", "generation"));
    }

    [Fact]
    public async Task StrategicMerge_OfServicePorts_MergesByPort()
    {
        await PostAsync("/api/v1/namespaces/default/services", """{"metadata":{"name":"s"},"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""");

        var response = await PatchAsync("/api/v1/namespaces/default/services/s", "application/strategic-merge-patch+json", """{"spec":{"ports":[{"port":443,"targetPort":8443}]}}""");

        Assert.Equal("""[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443}]""", response.Object["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public async Task MergePatch_ReplacesListsAndNullDeletes()
    {
        await PostAsync(DeploymentPath, Deployment);

        var response = await PatchAsync(DeploymentPath + "/d", "application/merge-patch+json", """{"metadata":{"finalizers":["z"]},"spec":{"replicas":null}}""");

        Assert.Equal("""["z"]""", response.Object["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Null(response.Object["spec"]!["replicas"]);
    }

    [Fact]
    public async Task JsonPatch_AppliesOperationsInOrder()
    {
        await CreateConfigMapAsync("c");

        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "application/json-patch+json",
            """[{"op":"add","path":"/data/x","value":"1"},{"op":"test","path":"/data/k","value":"v"},{"op":"replace","path":"/data/k","value":"2"},{"op":"move","from":"/data/x","path":"/data/y"},{"op":"remove","path":"/data/k"}]""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"y":"1"}""", response.Object["data"]!.ToJsonString());
    }

    [Fact]
    public async Task JsonPatch_FailingTest_IsInvalidAndChangesNothing()
    {
        var created = await CreateConfigMapAsync("c");

        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "application/json-patch+json", """[{"op":"test","path":"/data/k","value":"other"},{"op":"remove","path":"/data"}]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), (await GetAsync("/api/v1/namespaces/default/configmaps/c")).Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Patch_WithStaleResourceVersion_IsConflict()
    {
        await CreateConfigMapAsync("c");

        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "application/merge-patch+json", """{"metadata":{"resourceVersion":"1"},"data":{"k":"x"}}""");

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
    }

    [Fact]
    public async Task Patch_OfMissingObject_IsNotFound_AndUnknownType_Is415()
    {
        var missing = await PatchAsync("/api/v1/namespaces/default/configmaps/none", "application/merge-patch+json", "{}");
        await CreateConfigMapAsync("c");
        var unknown = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "text/plain", "{}");

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unknown.Status);
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_IsBadRequest()
    {
        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/c", "application/apply-patch+yaml", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Apply_Yaml_CreatesThenMerges_AndRecordsManagers()
    {
        var yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
              labels: {team: a}
            data:
              one: "1"
              flag: "true"
            """;
        var created = await PatchAsync("/api/v1/namespaces/default/configmaps/c?fieldManager=tool-a", "application/apply-patch+yaml", yaml);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("true", created.Str("data", "flag"));

        var merged = await PatchAsync("/api/v1/namespaces/default/configmaps/c?fieldManager=tool-b&force=true", "application/apply-patch+yaml",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"two":"2"}}""");

        Assert.Equal(HttpStatusCode.OK, merged.Status);
        Assert.Equal("""{"one":"1","flag":"true","two":"2"}""", merged.Object["data"]!.ToJsonString());
        var managers = merged.Object["metadata"]!["managedFields"]!.AsArray().Select(m => $"{m!["manager"]}:{m["operation"]}");
        Assert.Equal(["tool-a:Apply", "tool-b:Apply"], managers);
        Assert.NotNull(merged.Object["metadata"]!["managedFields"]![1]!["fieldsV1"]!["f:data"]!["f:two"]);
    }

    [Fact]
    public async Task Apply_Again_LeavingFieldsOut_RemovesThemUnlessAnotherManagerHasThem()
    {
        await PatchAsync(DeploymentPath + "/d?fieldManager=op", "application/apply-patch+yaml",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"a":"1","b":"2"}},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"main","image":"i","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},{"name":"side","image":"s"}]}}}}""");
        await PatchAsync(DeploymentPath + "/d?fieldManager=other", "application/apply-patch+yaml",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"b":"2"}}}""");

        var response = await PatchAsync(DeploymentPath + "/d?fieldManager=op", "application/apply-patch+yaml",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"main","image":"i","env":[{"name":"X","value":"1"}]}]}}}}""");

        Assert.Equal("""{"b":"2"}""", response.Object["metadata"]!["labels"]!.ToJsonString());
        var containers = response.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("""[{"name":"main","image":"i","env":[{"name":"X","value":"1"}]}]""", containers.ToJsonString());
    }

    [Fact]
    public async Task Apply_Repeated_IsANoOp()
    {
        const string Applied = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""";
        var first = await PatchAsync("/api/v1/namespaces/default/configmaps/c?fieldManager=op", "application/apply-patch+yaml", Applied);
        await Task.Delay(1100);

        var second = await PatchAsync("/api/v1/namespaces/default/configmaps/c?fieldManager=op", "application/apply-patch+yaml", Applied);

        Assert.Equal(first.Str("metadata", "resourceVersion"), second.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Apply_ToDeployment_MergesContainersByName()
    {
        await PostAsync(DeploymentPath, Deployment);

        var response = await PatchAsync(DeploymentPath + "/d?fieldManager=op", "application/apply-patch+yaml",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[{"name":"side","image":"side:2"}]}}}}""");

        var containers = response.Object["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("img:1,side:2", string.Join(",", containers.Select(c => c!["image"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Force_OnNonApplyPatch_IsBadRequest()
    {
        await CreateConfigMapAsync("c");

        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/c?force=true", "application/merge-patch+json", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Theory]
    [InlineData("""{"a":1,"b":{"c":2}}""", """{"b":{"c":null,"d":3},"e":[1]}""", """{"a":1,"b":{"d":3},"e":[1]}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[3]}""", """{"a":[3]}""")]
    [InlineData("""{"a":"x"}""", """{"a":{"b":1}}""", """{"a":{"b":1}}""")]
    public void MergePatch_FollowsRfc7386(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.Equal(expected, result!.ToJsonString());
    }

    [Fact]
    public void StrategicMerge_DeleteFromPrimitiveListAndReplaceDirective()
    {
        var target = Parse("""{"metadata":{"finalizers":["a","b"]},"spec":{"volumes":[{"name":"v1"},{"name":"v2"}]}}""");
        var patch = Parse("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]},"spec":{"volumes":[{"name":"v3"},{"$patch":"replace"}]}}""");

        var result = StrategicMergePatch.Apply(target, patch);

        Assert.Equal("""{"metadata":{"finalizers":["b"]},"spec":{"volumes":[{"name":"v3"}]}}""", result.ToJsonString());
    }
}
