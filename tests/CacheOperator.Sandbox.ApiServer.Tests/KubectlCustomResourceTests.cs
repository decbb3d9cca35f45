namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>
/// kubectl with a CRD: the project's own crds/cacheoperator.io_cacheclusters.yaml when it exists, else the
/// test CRD in testdata (Widget).
/// </summary>
public sealed class KubectlCustomResourceTests : ToolTestBase
{
    private static readonly string RealCrd = Path.Combine(ToolRunner.RepoRoot(), "crds", "cacheoperator.io_cacheclusters.yaml");

    private static bool UseRealCrd => File.Exists(RealCrd);

    private static string CrdPath => UseRealCrd ? RealCrd : Path.Combine(AppContext.BaseDirectory, "testdata", "widgets-crd.yaml");

    private static string Plural => UseRealCrd ? "cacheclusters" : "widgets";

    private static string ShortName => UseRealCrd ? "cc" : "wd";

    private static string Path_(string name) => UseRealCrd
        ? $"/apis/cacheoperator.io/v1alpha1/namespaces/default/cacheclusters/{name}"
        : $"{WidgetsPath}/{name}";

    private string Sample(string name, int shards) => Manifest($"{name}.yaml", UseRealCrd
        ? $"apiVersion: cacheoperator.io/v1alpha1\nkind: CacheCluster\nmetadata:\n  name: {name}\nspec:\n  shards: {shards}\n"
        : $"apiVersion: test.sandbox.io/v1alpha1\nkind: Widget\nmetadata:\n  name: {name}\nspec:\n  shards: {shards}\n  memory: 64Mi\n");

    [Fact]
    public async Task RegisterCrd_ThenCreateGetAndScaleTheNewKind()
    {
        await KubectlOkAsync("apply", "-f", CrdPath);

        var create = await KubectlOkAsync("apply", "-f", Sample("sessions", 2));
        var get = await KubectlOkAsync("get", ShortName);
        var scale = await KubectlOkAsync("scale", $"{Plural}/sessions", "--replicas=4");
        var shards = await KubectlOkAsync("get", Plural, "sessions", "-o", "jsonpath={.spec.shards} {.metadata.generation}");

        Assert.Contains("sessions created", create.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("SHARDS", get.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sessions", get.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("scaled", scale.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("4 2", shards.StandardOutput.Trim());
    }

    [Fact]
    public async Task Explain_ShowsTheCrdSchema()
    {
        await KubectlOkAsync("apply", "-f", CrdPath);

        var explain = await KubectlOkAsync("explain", $"{Plural}.spec.shards");

        Assert.Contains("FIELD: shards <integer>", explain.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyChangedCustomResource_UsesMergePatch()
    {
        await KubectlOkAsync("apply", "-f", CrdPath);
        await KubectlOkAsync("apply", "-f", Sample("sessions", 2));

        var apply = await KubectlOkAsync("apply", "-f", Sample("sessions", 3));

        Assert.Contains("configured", apply.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("application/merge-patch+json", apply.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyInvalidCustomResource_PrintsTheSchemaError()
    {
        await KubectlOkAsync("apply", "-f", CrdPath);

        var apply = await Tools.KubectlAsync("apply", "-f", Sample("bad", 0));

        Assert.NotEqual(0, apply.ExitCode);
        Assert.Contains("spec.shards: Invalid value: 0: spec.shards in body should be greater than or equal to 1", apply.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_ForConditionReady_SucceedsOnceStatusReportsTheCurrentGeneration()
    {
        await KubectlOkAsync("apply", "-f", CrdPath);
        await KubectlOkAsync("apply", "-f", Sample("sessions", 2));
        await KubectlOkAsync("scale", $"{Plural}/sessions", "--replicas=3");

        var wait = Tools.KubectlAsync("wait", $"--for=condition=Ready", $"{Plural}/sessions", "--timeout=30s");
        await Task.Delay(500);
        // Ready for an older generation does not count; then Ready for the current one does.
        await PatchAsync(Path_("sessions") + "/status", "application/merge-patch+json",
            """{"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"Old","message":"","observedGeneration":1,"lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""");
        await Task.Delay(500);
        Assert.False(wait.IsCompleted);
        await PatchAsync(Path_("sessions") + "/status", "application/merge-patch+json",
            """{"status":{"observedGeneration":2,"conditions":[{"type":"Ready","status":"True","reason":"Serving","message":"","observedGeneration":2,"lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""");

        var result = await wait;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("condition met", result.StandardOutput, StringComparison.Ordinal);
    }
}
