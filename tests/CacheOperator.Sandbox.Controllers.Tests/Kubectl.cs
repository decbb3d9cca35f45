using System.Diagnostics;

namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>Runs the real kubectl against a kubeconfig with a cache directory of its own; the process is always killed.</summary>
internal sealed class Kubectl(string kubeconfig, string cacheDir)
{
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--kubeconfig=" + kubeconfig);
        start.ArgumentList.Add("--cache-dir=" + cacheDir);
        using var process = Process.Start(start)!;
        try
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(TimeSpan.FromSeconds(90), args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {error}{output}");
        return output;
    }
}
