using System.Collections.Concurrent;
using System.Diagnostics;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Starts container processes so that none outlives the kubelet: each runs in its own session and process group
/// (<c>setsid</c>, so the group can be signalled as a whole), and with a parent-death signal of SIGKILL
/// (<c>setpriv --pdeathsig</c>). Linux delivers that signal when the thread that forked the child ends, not the
/// process, so every start happens on one dedicated thread that lives exactly as long as this launcher.
/// </summary>
public sealed class ProcessLauncher : IDisposable
{
    private const string SetSid = "/usr/bin/setsid";
    private const string SetPriv = "/usr/bin/setpriv";

    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Done)> _requests = new();
    private readonly Thread _thread;
    private readonly bool _wrap;

    public ProcessLauncher()
    {
        _wrap = OperatingSystem.IsLinux() && File.Exists(SetSid) && File.Exists(SetPriv);
        _thread = new Thread(Run) { IsBackground = true, Name = "sandbox-kubelet-launcher" };
        _thread.Start();
    }

    /// <summary>Whether started processes get their own process group and die with the kubelet.</summary>
    public bool Isolates => _wrap;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>; the returned process's id is also its
    /// process group id when <see cref="Isolates"/>.
    /// </summary>
    public Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment,
        string workingDirectory, bool redirectOutput)
    {
        var info = new ProcessStartInfo
        {
            FileName = _wrap ? SetSid : fileName,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = redirectOutput,
            RedirectStandardError = redirectOutput,
        };
        if (_wrap)
        {
            foreach (var arg in new[] { SetPriv, "--pdeathsig", "KILL", "--", fileName })
                info.ArgumentList.Add(arg);
        }

        foreach (var arg in arguments)
            info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (key, value) in environment)
            info.Environment[key] = value;

        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add((info, done));
        }
        catch (InvalidOperationException)
        {
            done.SetException(new ObjectDisposedException(nameof(ProcessLauncher)));
        }

        return done.Task;
    }

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _requests.Dispose();
    }

    private void Run()
    {
        foreach (var (info, done) in _requests.GetConsumingEnumerable())
        {
            try
            {
                var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
                // No container reads stdin: closing it gives EOF instead of a pipe nobody writes.
                process.StandardInput.Close();
                done.SetResult(process);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                done.SetException(e);
            }
        }
    }
}
