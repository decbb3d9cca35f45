using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public sealed class ProcessLauncherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Stop_KillsTheWholeProcessGroup()
    {
        using var launcher = new ProcessLauncher();
        Assert.True(launcher.Isolates);
        var pidFile = Path.Combine(_dir, "child.pid");
        // The shell starts a child that ignores SIGTERM: stopping must still leave nothing behind.
        var process = await ContainerProcess.StartAsync(launcher, new LaunchTarget("/bin/sh", []),
            ["-c", $"(trap '' TERM; sleep 60) & echo $! > {pidFile}; echo started; wait"],
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, _dir, Path.Combine(_dir, "c.log"), 1024);
        try
        {
            var child = await WaitForPidAsync(pidFile);
            Assert.True(Signals.GroupExists(process.Pid));
            await process.StopAsync(TimeSpan.FromMilliseconds(300));
            Assert.NotEqual(0, await process.Exited);
            await WaitUntilAsync(() => !Directory.Exists($"/proc/{child}") || IsZombie(child));
            Assert.Contains("started", File.ReadAllText(Path.Combine(_dir, "c.log")), StringComparison.Ordinal);
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Exit_ReportsTheExitCode()
    {
        using var launcher = new ProcessLauncher();
        await using var process = await ContainerProcess.StartAsync(launcher, new LaunchTarget("/bin/sh", []), ["-c", "exit 3"],
            new Dictionary<string, string>(), _dir, Path.Combine(_dir, "e.log"), 1024);
        Assert.Equal(3, await process.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<int> WaitForPidAsync(string path)
    {
        await WaitUntilAsync(() => File.Exists(path) && File.ReadAllText(path).Trim().Length > 0);
        return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }
}
