using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-cli-").FullName;

    public void Dispose()
    {
        // Whatever happened, no server stays behind: the pid file names it.
        var pidFile = Path.Combine(_dir, ".sandbox", "sandbox.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && LeftoverProcesses.StartTimeOf(pid) is not null)
        {
            Signals.SendToGroup(pid, Signals.Kill);
            Signals.SendToProcess(pid, Signals.Kill);
        }

        LeftoverProcesses.KillAll(Path.Combine(_dir, ".sandbox", "kubelet"));
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task UpThenDown_KubectlWorksInBetween_AndNothingIsLeftRunning()
    {
        var sandbox = ToolRunner.SandboxExecutable();
        var up = await ToolRunner.RunAsync(sandbox, ["up"], _dir);
        Assert.True(up.ExitCode == 0, up.Output + up.Error);
        var kubeconfig = Path.Combine(_dir, ".sandbox", "kubeconfig");
        Assert.True(File.Exists(kubeconfig));
        Assert.Contains($"export KUBECONFIG={kubeconfig}", up.Output, StringComparison.Ordinal);
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir, ".sandbox", "sandbox.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var again = await ToolRunner.RunAsync(sandbox, ["up"], _dir);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already up", again.Output, StringComparison.Ordinal);

        var kubectl = await ToolRunner.RunAsync("kubectl",
            ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_dir, "kubectl-cache"), "get", "nodes"]);
        Assert.True(kubectl.ExitCode == 0, kubectl.Error);
        Assert.Contains("sandbox-node", kubectl.Output, StringComparison.Ordinal);
        Assert.Contains("Ready", kubectl.Output, StringComparison.Ordinal);

        var pod = await ToolRunner.RunAsync("kubectl",
            ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_dir, "kubectl-cache"), "run", "cache",
             "--image=ghcr.io/cacheoperator/cache-node:0.1.0", "--overrides",
             """{"spec":{"nodeName":"sandbox-node"}}""", "--", "node", "-p", "0", "-l", "127.0.0.1", "--admin-port", "0", "-m", "16"]);
        Assert.True(pod.ExitCode == 0, pod.Error);
        var status = await WaitForStatusAsync(sandbox, "Running   1/1");
        Assert.Contains("default     cache", status, StringComparison.Ordinal);
        var podPids = Directory.EnumerateFiles(Path.Combine(_dir, ".sandbox", "kubelet", "pods"), "*.pid", SearchOption.AllDirectories)
            .Select(f => int.Parse(File.ReadAllText(f).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Single(podPids);

        var down = await ToolRunner.RunAsync(sandbox, ["down"], _dir);
        Assert.True(down.ExitCode == 0, down.Output + down.Error);
        Assert.Null(LeftoverProcesses.StartTimeOf(pid));
        Assert.All(podPids, p => Assert.Null(LeftoverProcesses.StartTimeOf(p)));
        Assert.False(File.Exists(Path.Combine(_dir, ".sandbox", "sandbox.pid")));

        var after = await ToolRunner.RunAsync(sandbox, ["status"], _dir);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("down", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerKilled_PodProcessesDieWithIt()
    {
        var sandbox = ToolRunner.SandboxExecutable();
        var up = await ToolRunner.RunAsync(sandbox, ["up"], _dir);
        Assert.True(up.ExitCode == 0, up.Output + up.Error);
        var kubeconfig = Path.Combine(_dir, ".sandbox", "kubeconfig");
        var pod = await ToolRunner.RunAsync("kubectl",
            ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_dir, "kubectl-cache"), "run", "sleeper",
             "--image=ghcr.io/cacheoperator/cache-node:0.1.0", "--overrides", """{"spec":{"nodeName":"sandbox-node"}}""",
             "--command", "--", "/bin/sh", "-c", "sleep 300"]);
        Assert.True(pod.ExitCode == 0, pod.Error);
        await WaitForStatusAsync(sandbox, "Running   1/1");
        var podPid = Directory.EnumerateFiles(Path.Combine(_dir, ".sandbox", "kubelet", "pods"), "*.pid", SearchOption.AllDirectories)
            .Select(f => int.Parse(File.ReadAllText(f).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).Single();
        var serverPid = int.Parse(File.ReadAllText(Path.Combine(_dir, ".sandbox", "sandbox.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // No graceful stop at all: the parent-death signal must take the pod's process down.
        Signals.SendToProcess(serverPid, Signals.Kill);
        for (var i = 0; i < 50 && LeftoverProcesses.StartTimeOf(podPid) is not null; i++)
            await Task.Delay(100);
        Assert.Null(LeftoverProcesses.StartTimeOf(podPid));
    }

    private async Task<string> WaitForStatusAsync(string sandbox, string text)
    {
        var output = "";
        for (var i = 0; i < 60; i++)
        {
            output = (await ToolRunner.RunAsync(sandbox, ["status"], _dir)).Output;
            if (output.Contains(text, StringComparison.Ordinal))
                return output;
            await Task.Delay(250);
        }

        Assert.Fail("status never showed " + text + ":\n" + output);
        return output;
    }
}
