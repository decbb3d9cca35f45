using System.Net;

namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class CustomResourceTests : ServerTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RegisterWidgetCrdAsync();
    }

    [Fact]
    public async Task Crd_IsEstablished_AndItsKindIsServed()
    {
        var crd = await GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.sandbox.io");
        var conditions = crd.Object["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");

        var list = await GetAsync(WidgetsPath);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("WidgetList", list.Str("kind"));
    }

    [Fact]
    public async Task Create_AppliesDefaultsRecursively_AndPrunesUnknownFields()
    {
        var response = await CreateWidgetAsync("w", """{"memory":"64Mi","unknown":1,"extra":{"anything":{"goes":true}}}""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var spec = response.Object["spec"]!;
        Assert.Equal(1, spec["shards"]!.GetValue<long>());
        Assert.Equal("safe", spec["mode"]!.GetValue<string>());
        Assert.Equal(2, spec["router"]!["replicas"]!.GetValue<long>());
        Assert.Null(spec["unknown"]);
        Assert.True(spec["extra"]!["anything"]!["goes"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Create_WithStrictFieldValidation_RejectsUnknownFields()
    {
        var response = await PostAsync(WidgetsPath + "?fieldValidation=Strict",
            """{"apiVersion":"test.sandbox.io/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"memory":"1Gi","bogus":1}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("unknown field \"spec.bogus\"", response.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BelowMinimum_IsInvalidInKubernetesWords()
    {
        var response = await CreateWidgetAsync("x", """{"memory":"1Gi","shards":0}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("Invalid", response.Str("reason"));
        Assert.Equal("Widget.test.sandbox.io \"x\" is invalid: spec.shards: Invalid value: 0: spec.shards in body should be greater than or equal to 1", response.Str("message"));
        var cause = response.Object["details"]!["causes"]![0]!;
        Assert.Equal("spec.shards", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"shards":1}""", "spec.memory: Required value")]
    [InlineData("""{"memory":"1Gi","shards":65}""", "spec.shards: Invalid value: 65: spec.shards in body should be less than or equal to 64")]
    [InlineData("""{"memory":"1Gi","shards":"two"}""", "spec.shards: Invalid value: \"string\": spec.shards in body must be of type integer: \"string\"")]
    [InlineData("""{"memory":"1Gi","mode":"slow"}""", "spec.mode: Unsupported value: \"slow\": supported values: \"fast\", \"safe\"")]
    [InlineData("""{"memory":"lots"}""", "spec.memory: Invalid value: \"lots\": spec.memory in body should match '^[0-9]+(Mi|Gi)$'")]
    [InlineData("""{"memory":"1Gi","tags":["a","b","c","d"]}""", "spec.tags: Too many: 4: must have at most 3 items")]
    [InlineData("""{"memory":"1Gi","tags":[""]}""", "spec.tags[0]: Invalid value: \"\": spec.tags[0] in body should be at least 1 chars long")]
    public async Task Create_ViolatingTheSchema_IsInvalid(string spec, string cause)
    {
        var response = await CreateWidgetAsync("x", spec);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal($"Widget.test.sandbox.io \"x\" is invalid: {cause}", response.Str("message"));
    }

    [Fact]
    public async Task Write_ToSchemaWithCelRules_WarnsThatTheyAreNotEnforced()
    {
        var response = await CreateWidgetAsync("w", """{"memory":"1Gi"}""");

        Assert.Contains("299 - \"x-kubernetes-validations (CEL) rules are not enforced by the sandbox\"", response.Warnings);
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsInvalid()
    {
        await CreateWidgetAsync("w", """{"memory":"1Gi"}""");

        var response = await PutAsync(WidgetsPath + "/w", """{"apiVersion":"test.sandbox.io/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"memory":"2Gi"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("metadata.resourceVersion", response.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusSubresource_ChangesOnlyStatus_WithoutGeneration_AndMainEndpointIgnoresStatus()
    {
        var created = (await CreateWidgetAsync("w", """{"memory":"1Gi"}""")).Object;

        var status = await PatchAsync(WidgetsPath + "/w/status", "application/merge-patch+json", """{"spec":{"shards":9},"status":{"shards":3,"observedGeneration":1}}""");
        Assert.Equal("3", status.Str("status", "shards"));
        Assert.Equal("1", status.Str("spec", "shards"));
        Assert.Equal("1", status.Str("metadata", "generation"));

        var main = await PatchAsync(WidgetsPath + "/w", "application/merge-patch+json", """{"spec":{"shards":2},"status":{"shards":0}}""");
        Assert.Equal("3", main.Str("status", "shards"));
        Assert.Equal("2", main.Str("metadata", "generation"));
        Assert.NotEqual(created["metadata"]!["resourceVersion"]!.GetValue<string>(), main.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task StrategicMergePatch_OnCustomResource_IsUnsupportedMediaType()
    {
        await CreateWidgetAsync("w", """{"memory":"1Gi"}""");

        var response = await PatchAsync(WidgetsPath + "/w", "application/strategic-merge-patch+json", """{"spec":{"shards":2}}""");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
    }

    [Fact]
    public async Task Scale_UsesTheCrdPaths()
    {
        await CreateWidgetAsync("w", """{"memory":"1Gi","shards":2}""");
        await PatchAsync(WidgetsPath + "/w/status", "application/merge-patch+json", """{"status":{"shards":2,"selector":"app=w"}}""");

        var scale = await GetAsync(WidgetsPath + "/w/scale");
        Assert.Equal("2", scale.Str("spec", "replicas"));
        Assert.Equal("2", scale.Str("status", "replicas"));
        Assert.Equal("app=w", scale.Str("status", "selector"));

        await PatchAsync(WidgetsPath + "/w/scale", "application/merge-patch+json", """{"spec":{"replicas":6}}""");
        var widget = await GetAsync(WidgetsPath + "/w");
        Assert.Equal("6", widget.Str("spec", "shards"));
        Assert.Equal("2", widget.Str("metadata", "generation"));
    }

    [Fact]
    public async Task Table_ForPrinterColumns_ShowsCellsAndAges()
    {
        await CreateWidgetAsync("w", """{"memory":"1Gi","shards":4}""");
        await PatchAsync(WidgetsPath + "/w/status", "application/merge-patch+json", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");

        var table = await GetAsync(WidgetsPath, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal("Table", table.Str("kind"));
        var columns = table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["Name", "Shards", "Ready", "Age"], columns);
        var cells = table.Object["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("w", cells[0]!.GetValue<string>());
        Assert.Equal(4, cells[1]!.GetValue<long>());
        Assert.Equal("True", cells[2]!.GetValue<string>());
        Assert.Matches("^[0-9]+s$", cells[3]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingTheCrd_RemovesItsObjects_AndStopsServingTheKind()
    {
        await CreateWidgetAsync("w", """{"memory":"1Gi"}""");

        var deleted = await DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.sandbox.io");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(WidgetsPath)).Status);
        await RegisterWidgetCrdAsync();
        Assert.Empty((await GetAsync(WidgetsPath)).Object["items"]!.AsArray());
    }

    [Fact]
    public async Task Crd_WithWrongName_IsInvalid()
    {
        var crd = YamlJson.ParseObject(TestData("widgets-crd.yaml"));
        crd["metadata"]!["name"] = "wrong.test.sandbox.io";
        crd["spec"]!["names"]!["plural"] = "gadgets";

        var response = await PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("must be spec.names.plural+\".\"+spec.group", response.Str("message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, "30s")]
    [InlineData(150, "2m30s")]
    [InlineData(900, "15m")]
    [InlineData(4 * 3600 + 120, "4h2m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(40 * 86400, "40d")]
    public void HumanDuration_MatchesKubectlAges(int seconds, string expected)
    {
        Assert.Equal(expected, TableConverter.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public async Task Discovery_ListsTheCrdWithSubresources()
    {
        var resources = await GetAsync("/apis/test.sandbox.io/v1alpha1");
        var names = resources.Object["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());
        Assert.Equal(["widgets", "widgets/status", "widgets/scale"], names);

        var aggregated = await GetAsync("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        var group = aggregated.Object["items"]!.AsArray().Single(i => i!["metadata"]!["name"]!.GetValue<string>() == "test.sandbox.io")!;
        var widget = group["versions"]![0]!["resources"]![0]!;
        Assert.Equal("""["wd"]""", widget["shortNames"]!.ToJsonString());
        var scale = widget["subresources"]!.AsArray().Single(s => s!["subresource"]!.GetValue<string>() == "scale")!;
        Assert.Equal("""{"group":"autoscaling","version":"v1","kind":"Scale"}""", scale["responseKind"]!.ToJsonString());
    }
}
