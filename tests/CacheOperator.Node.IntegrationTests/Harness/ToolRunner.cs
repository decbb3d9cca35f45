using System.Diagnostics;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>Runs a client program (pymemcache script, memccapable) with a time limit; it never outlives the call.</summary>
public static class ToolRunner
{
    /// <param name="fileName">Program to run.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">Killed (whole tree) when exceeded.</param>
    /// <param name="mergeStderr">
    /// Send standard error into standard output through one pipe, keeping the order in which the tool wrote them
    /// (memccapable prints a test's name on stdout and a failure on stderr).
    /// </param>
    public static async Task<ToolRun> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, bool mergeStderr = false)
    {
        var info = new ProcessStartInfo(mergeStderr ? "/bin/sh" : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (mergeStderr)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$0\" \"$@\" 2>&1");
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return new ToolRun(null, await stdout, await stderr);
            }

            return new ToolRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
