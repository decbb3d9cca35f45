namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>A fresh server plus a <see cref="ToolRunner"/> (temp kubeconfig, fresh kubectl cache) per test.</summary>
public abstract class ToolTestBase : ServerTestBase
{
    protected ToolRunner Tools { get; private set; } = null!;

    protected override SandboxApiServerOptions Options => new() { GarbageCollectionInterval = TimeSpan.FromMilliseconds(200) };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Tools = new ToolRunner(Server);
    }

    public override async Task DisposeAsync()
    {
        Tools.Dispose();
        await base.DisposeAsync();
    }

    protected async Task<ToolResult> KubectlOkAsync(params string[] args)
    {
        var result = await Tools.KubectlAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}\n{result}");
        return result;
    }

    protected string Manifest(string name, string yaml) => Tools.WriteFile(name, yaml);
}
