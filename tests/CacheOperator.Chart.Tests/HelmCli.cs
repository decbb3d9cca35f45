using System.Diagnostics;

namespace CacheOperator.Chart.Tests;

/// <summary>
/// Runs the real helm binary (installed by `make tools`) against the chart. Helm's config, cache and data
/// homes point at a temporary directory so the machine's own helm setup neither leaks in nor gets written.
/// </summary>
public sealed class HelmCli : IDisposable
{
    public const string ReleaseName = "co";
    public const string ReleaseNamespace = "cache-system";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _home = Directory.CreateTempSubdirectory("chart-tests-helm-").FullName;

    public HelmCli()
    {
        Executable = Locate();
    }

    public string Executable { get; }

    /// <summary>`helm template` of the chart as release <see cref="ReleaseName"/> in <see cref="ReleaseNamespace"/>.</summary>
    internal HelmResult Template(params string[] extraArgs) => TemplateAt(RepositoryPaths.Chart, extraArgs);

    internal HelmResult TemplateAt(string chartPath, params string[] extraArgs) =>
        Run(["template", ReleaseName, chartPath, "--namespace", ReleaseNamespace, .. extraArgs]);

    /// <summary>Renders and parses; fails the test with helm's output when rendering fails.</summary>
    internal RenderedChart Render(params string[] extraArgs)
    {
        var result = Template(extraArgs);
        Assert.True(result.Succeeded, $"helm template {string.Join(' ', extraArgs)} failed:\n{result}");
        return RenderedChart.Parse(result.StdOut);
    }

    internal HelmResult Run(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(_home, "config");
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(_home, "cache");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(_home, "data");
        // Nothing here may reach a cluster: template and lint work offline, and a stray kubeconfig must not matter.
        info.Environment["KUBECONFIG"] = Path.Combine(_home, "no-kubeconfig");

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new HelmResult(null, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
            }

            return new HelmResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the run over it is not.
        }
    }

    private static string Locate()
    {
        string[] candidates =
        [
            Path.Combine(RepositoryPaths.Root, ".tools", "bin", "helm"),
            "/tmp/helmget/helm/helm",
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"helm not found (looked at {string.Join(", ", candidates)}). Run `make tools` in {RepositoryPaths.Root} to install it.");
    }
}
