using System.Diagnostics;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// One run of a container: the host process, its output copied into a bounded log file, and signals to its
/// whole process group.
/// </summary>
public sealed class ContainerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly BoundedLogFile _log;
    private readonly Task _pumps;
    private readonly bool _isolated;

    private ContainerProcess(Process process, BoundedLogFile log, bool isolated)
    {
        _process = process;
        _log = log;
        _isolated = isolated;
        StartedAt = DateTimeOffset.UtcNow;
        Pid = process.Id;
        _pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, log),
            PumpAsync(process.StandardError.BaseStream, log));
        Exited = WaitAsync();
    }

    public int Pid { get; }
    public DateTimeOffset StartedAt { get; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Completes with the exit code (128 + signal number when a signal ended it, as Kubernetes reports).</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static async Task<ContainerProcess> StartAsync(ProcessLauncher launcher, LaunchTarget target,
        IEnumerable<string> arguments, IDictionary<string, string> environment, string workingDirectory,
        string logPath, long maxLogBytes)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(target);
        var log = new BoundedLogFile(logPath, maxLogBytes);
        try
        {
            var process = await launcher.StartAsync(target.FileName, target.PrefixArguments.Concat(arguments),
                environment, workingDirectory, redirectOutput: true).ConfigureAwait(false);
            return new ContainerProcess(process, log, launcher.Isolates);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    public void Signal(int signal)
    {
        if (_isolated)
            Signals.SendToGroup(Pid, signal);
        else if (!HasExited)
            Signals.SendToProcess(Pid, signal);
    }

    /// <summary>SIGTERM, then SIGKILL when <paramref name="grace"/> passes; returns once the process is gone.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken ct = default)
    {
        if (!HasExited)
        {
            Signal(Signals.Term);
            // A frozen process holds SIGTERM pending until it runs again.
            Signal(Signals.Cont);
            try
            {
                await Exited.WaitAsync(grace, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }

        Kill();
        await Exited.ConfigureAwait(false);
    }

    /// <summary>SIGKILL to the process and its group (children it left behind die too).</summary>
    public void Kill()
    {
        Signal(Signals.Kill);
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Exited.ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        FinishedAt = DateTimeOffset.UtcNow;
        // Output is copied before the exit is reported, so a log read after the exit is complete; a grandchild
        // that kept the pipe open must not hold the exit back, hence the bound.
        await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        // Anything the container started in its group goes with it, as in a container's PID namespace.
        if (_isolated)
            Signals.SendToGroup(Pid, Signals.Kill);
        _log.Dispose();
        return _process.ExitCode;
    }

    private static async Task PumpAsync(Stream source, BoundedLogFile log)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                    return;
                log.Write(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }
}
