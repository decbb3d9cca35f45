using System.Diagnostics;

namespace CacheOperator.Sandbox.Tests;

/// <summary>Runs a command line to completion with a bound; the process tree is killed if it overruns.</summary>
internal static class ToolRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> args,
        string? workingDirectory = null, int timeoutSeconds = 90)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The built `sandbox` apphost of the same configuration as these tests.</summary>
    public static string SandboxExecutable()
    {
        var root = Kubelet.ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(root, "operator", "src", "CacheOperator.Sandbox", "bin", configuration, "net10.0", "sandbox");
        Assert.True(File.Exists(path), $"{path} is not built");
        return path;
    }
}
