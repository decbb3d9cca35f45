using System.Diagnostics;
using System.Text;

namespace CacheOperator.Reconciler.Tests.EndToEnd;

/// <summary>The built <c>cache-operator</c> as a child process; killed on dispose, its output kept for failure messages.</summary>
internal sealed class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    /// <param name="podName">POD_NAME: the identity used for leader election.</param>
    public OperatorProcess(IReadOnlyList<string> args, string podName = "operator-under-test")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cache-operator.dll"));
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["POD_NAME"] = podName;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, as the kubelet sends; true when the process exits with 0 within the timeout.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        return _process.WaitForExit(timeout) && _process.ExitCode == 0;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
