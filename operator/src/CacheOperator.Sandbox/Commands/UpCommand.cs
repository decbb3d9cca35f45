using System.Diagnostics;
using System.Globalization;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Commands;

/// <summary>`sandbox up`: starts `sandbox serve` detached (its own session) and waits until the API answers and the Node is Ready.</summary>
internal static class UpCommand
{
    public static async Task<int> RunAsync(StatePaths paths, int port, bool persist, IReadOnlyList<string> images, TimeSpan timeout)
    {
        if (paths.LivePid() is { } running)
        {
            Console.WriteLine($"sandbox is already up (pid {running}, API {paths.ServerUrl()?.ToString() ?? "starting"})");
            PrintKubeconfig(paths);
            return 0;
        }

        Directory.CreateDirectory(paths.Root);
        if (File.Exists(paths.PidFile))
            File.Delete(paths.PidFile);
        if (File.Exists(paths.ServerFile))
            File.Delete(paths.ServerFile);

        var self = SelfCommand();
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // The shell backgrounds `setsid sandbox serve` with its output in the log and exits: the server is
        // nobody's child and in no terminal's session, so it outlives this command.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("setsid \"$0\" \"$@\" >>\"$SANDBOX_LOG\" 2>&1 </dev/null &");
        foreach (var arg in self)
            info.ArgumentList.Add(arg);
        foreach (var arg in new[] { "serve", "--state-dir", paths.Root, "--port", port.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        if (persist)
            info.ArgumentList.Add("--persist");
        foreach (var image in images)
        {
            info.ArgumentList.Add("--image");
            info.ArgumentList.Add(image);
        }

        info.Environment["SANDBOX_LOG"] = paths.LogFile;
        using (var shell = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh"))
            await shell.WaitForExitAsync().ConfigureAwait(false);

        var deadline = DateTime.UtcNow + timeout;
        var sawPid = false;
        while (DateTime.UtcNow < deadline)
        {
            var pid = paths.LivePid();
            sawPid |= pid is not null;
            if (sawPid && pid is null)
            {
                await Console.Error.WriteLineAsync($"sandbox: the server exited during start; see {paths.LogFile}:").ConfigureAwait(false);
                await Console.Error.WriteLineAsync(Tail(paths.LogFile, 20)).ConfigureAwait(false);
                return 1;
            }

            if (pid is not null && paths.ServerUrl() is { } url && await NodeReadyAsync(url, deadline - DateTime.UtcNow).ConfigureAwait(false))
            {
                Console.WriteLine($"sandbox is up: API {url.GetLeftPart(UriPartial.Authority)} (pid {pid}; log {paths.LogFile})");
                PrintKubeconfig(paths);
                return 0;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync($"sandbox: not ready after {timeout.TotalSeconds:0}s; see {paths.LogFile}").ConfigureAwait(false);
        return 1;
    }

    private static void PrintKubeconfig(StatePaths paths)
    {
        Console.WriteLine($"kubeconfig: {paths.Kubeconfig}");
        Console.WriteLine($"  export KUBECONFIG={paths.Kubeconfig}");
    }

    /// <summary>How to run this executable again: its apphost, or `dotnet sandbox.dll`.</summary>
    private static List<string> SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? [processPath, typeof(UpCommand).Assembly.Location]
            : [processPath];
    }

    /// <summary>
    /// True when the API answers that Node sandbox-node is Ready; false on any failure, which the caller's poll
    /// retries until its own deadline. One answer may take all the time <paramref name="left"/>: a server starting on a
    /// busy machine can take seconds to answer, and a slow answer is no reason to fail the command (a dead server's
    /// socket closes, so that is still seen at once).
    /// </summary>
    internal static async Task<bool> NodeReadyAsync(Uri url, TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
            return false;
        try
        {
            using var client = new Kubernetes.KubernetesClient(new KubernetesClientConfiguration
            {
                Server = url,
                MaxRetries = 0,
                RequestTimeout = left,
            });
            var node = await client.GetAsync<Node>(null, "sandbox-node").ConfigureAwait(false);
            return node?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        }
        catch (Exception e) when (e is HttpRequestException or Kubernetes.KubernetesApiException or TaskCanceledException or TimeoutException or IOException)
        {
            return false;
        }
    }

    internal static string Tail(string path, int lines)
    {
        if (!File.Exists(path))
            return "(no log)";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }
}
