using System.Diagnostics;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Api.Tests.Kubectl;

/// <summary>Real kubectl against one sandbox API server: its own kubeconfig and cache dir in a temp folder.</summary>
internal sealed class Kubectl : IDisposable
{
    private const string Path = "/usr/bin/kubectl";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _folder;
    private readonly string _kubeconfig;

    public Kubectl(SandboxApiServer server)
    {
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "api-tests-kubectl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _kubeconfig = System.IO.Path.Combine(_folder, "kubeconfig");
        server.WriteKubeconfig(_kubeconfig);
    }

    /// <summary>Writes a manifest into the temp folder and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = System.IO.Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args.Concat(["--kubeconfig", _kubeconfig, "--cache-dir", System.IO.Path.Combine(_folder, "cache")]))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
