using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Commands;

/// <summary>
/// `sandbox down`: SIGTERM to the server (it stops its pods gracefully), SIGKILL if it outlives the timeout, then
/// kills any pod process still recorded as alive, so nothing is left behind.
/// </summary>
internal static class DownCommand
{
    public static async Task<int> RunAsync(StatePaths paths, TimeSpan timeout)
    {
        var pid = paths.LivePid();
        if (pid is null)
        {
            Console.WriteLine("sandbox is not running");
        }
        else
        {
            Signals.SendToProcess(pid.Value, Signals.Term);
            if (!await WaitForExitAsync(pid.Value, timeout).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"sandbox: server (pid {pid}) still running after {timeout.TotalSeconds:0}s; killing it");
                // It leads its own process group (setsid): kill the group, then the process itself.
                Signals.SendToGroup(pid.Value, Signals.Kill);
                Signals.SendToProcess(pid.Value, Signals.Kill);
                await WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }

            Console.WriteLine($"sandbox stopped (pid {pid})");
        }

        foreach (var leftover in LeftoverProcesses.KillAll(paths.KubeletDirectory))
            Console.Error.WriteLine($"sandbox: killed pod process {leftover} left behind");
        foreach (var file in new[] { paths.PidFile, paths.ServerFile })
        {
            if (File.Exists(file))
                File.Delete(file);
        }

        return 0;
    }

    private static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (LeftoverProcesses.StartTimeOf(pid) is null)
                return true;
            await Task.Delay(100).ConfigureAwait(false);
        }

        return LeftoverProcesses.StartTimeOf(pid) is null;
    }
}
