namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>Real helm against the sandbox: releases are Secrets found by label selector.</summary>
public sealed class HelmTests : ToolTestBase
{
    private static readonly string TinyChart = Path.Combine(AppContext.BaseDirectory, "testdata", "tinychart");

    [Fact]
    public async Task InstallUpgradeUninstall_OfATinyChart()
    {
        var install = await HelmOkAsync("install", "demo", TinyChart);
        var upgrade = await HelmOkAsync("upgrade", "demo", TinyChart, "--set", "greeting=hi", "--set", "replicas=3");
        var list = await HelmOkAsync("list");
        var greeting = await KubectlOkAsync("get", "configmap", "demo-settings", "-o", "jsonpath={.data.greeting}");
        var replicas = await KubectlOkAsync("get", "deployment", "demo-web", "-o", "jsonpath={.spec.replicas}");
        var releases = await KubectlOkAsync("get", "secrets", "-l", "owner=helm,name=demo", "-o", "name");

        Assert.Contains("STATUS: deployed", install.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("REVISION: 2", upgrade.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("demo", list.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("hi", greeting.StandardOutput.Trim());
        Assert.Equal("3", replicas.StandardOutput.Trim());
        Assert.Equal(["secret/sh.helm.release.v1.demo.v1", "secret/sh.helm.release.v1.demo.v2"], releases.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await HelmOkAsync("uninstall", "demo");

        var left = await KubectlOkAsync("get", "configmaps,deployments,services,secrets", "-o", "name");
        Assert.Equal("", left.StandardOutput.Trim());
    }

    [Fact]
    public async Task InstallOfTheProjectChart_CreatesItsObjects()
    {
        var chart = Path.Combine(ToolRunner.RepoRoot(), "charts", "cache-operator");
        if (!File.Exists(Path.Combine(chart, "Chart.yaml")))
        {
            return;
        }

        // One replica and no waiting: there is no kubelet here, the objects only need to be accepted.
        var install = await HelmOkAsync("install", "co", chart, "-n", "cache-system", "--create-namespace", "--set", "replicaCount=1");
        var deployments = await KubectlOkAsync("get", "deployments", "-n", "cache-system", "-o", "name");
        var crds = await KubectlOkAsync("get", "crd", "-o", "name");
        var uninstall = await HelmOkAsync("uninstall", "co", "-n", "cache-system");

        Assert.Contains("STATUS: deployed", install.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/", deployments.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("cacheclusters.cacheoperator.io", crds.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("uninstalled", uninstall.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<ToolResult> HelmOkAsync(params string[] args)
    {
        var result = await Tools.HelmAsync(args);
        Assert.True(result.ExitCode == 0, $"helm {string.Join(' ', args)}\n{result}");
        return result;
    }
}
