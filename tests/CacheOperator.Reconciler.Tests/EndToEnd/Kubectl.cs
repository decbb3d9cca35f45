using System.Diagnostics;

namespace CacheOperator.Reconciler.Tests.EndToEnd;

/// <summary>Real kubectl with a test's kubeconfig and its own cache dir; killed after 60 s.</summary>
internal static class Kubectl
{
    public static async Task<string> RunAsync(string kubeconfig, string cacheDir, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(cacheDir);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed:\n{await stderr}");
            return await stdout;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    public static string RepoRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CacheOperator.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
