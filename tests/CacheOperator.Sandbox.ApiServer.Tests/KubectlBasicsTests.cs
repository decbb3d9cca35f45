namespace CacheOperator.Sandbox.ApiServer.Tests;

public sealed class KubectlBasicsTests : IAsyncLifetime
{
    private SandboxApiServer _server = null!;
    private ToolRunner _tools = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions());
        _tools = new ToolRunner(_server);
    }

    public async Task DisposeAsync()
    {
        _tools.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ApplyConfigMap_ThenGetYaml_ShowsData()
    {
        var manifest = _tools.WriteFile("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              mode: fast
            """);

        var apply = await _tools.KubectlAsync("apply", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("configmap/settings created", apply.StandardOutput, StringComparison.Ordinal);

        var get = await _tools.KubectlAsync("get", "configmap", "settings", "-o", "yaml");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("mode: fast", get.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("uid:", get.StandardOutput, StringComparison.Ordinal);
    }
}
