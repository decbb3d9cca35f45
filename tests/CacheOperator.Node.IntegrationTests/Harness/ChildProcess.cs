using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// A process started by a test: its output is drained continuously (a full pipe would stall the child) and kept
/// in a bounded tail for failure messages; it is killed with its whole tree on Dispose, and on test-host exit
/// as a last resort so that no server outlives the run.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int MaxTailLines = 200;

    private static readonly ConcurrentDictionary<ChildProcess, byte> Live = new();

    private readonly Process _process;
    private readonly Queue<string> _stdoutTail = new();
    private readonly Queue<string> _stderrTail = new();
    private readonly Lock _tailLock = new();
    private readonly Action<string>? _onStdoutLine;
    private int _disposed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Live.Keys)
            {
                child.Dispose();
            }
        };
    }

    private ChildProcess(Process process, Action<string>? onStdoutLine)
    {
        _process = process;
        _onStdoutLine = onStdoutLine;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string CommandLine { get; private init; } = "";

    /// <param name="environment">Variables to set in the child's environment; a null value removes the variable.</param>
    public static ChildProcess Start(
        string fileName, IEnumerable<string> arguments, Action<string>? onStdoutLine = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, onStdoutLine)
        {
            CommandLine = fileName + " " + string.Join(' ', info.ArgumentList),
        };
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isStdout: true);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isStdout: false);
        process.Start();
        Live.TryAdd(child, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Exit code, or null while the process runs.</summary>
    public int? ExitCodeOrNull() => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits (bounded) for the process to exit by itself; true if it did.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Resident set size in KiB from /proc/&lt;pid&gt;/status (VmRSS), or null once the process is gone.</summary>
    public long? ReadRssKilobytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan("VmRSS:".Length).Trim();
                    var space = digits.IndexOf(' ');
                    return long.Parse(space < 0 ? digits : digits[..space], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>The command line and the last lines of both output streams, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("command: ").AppendLine(CommandLine);
        var exit = ExitCodeOrNull();
        text.Append("state: ").AppendLine(exit is null ? "running" : $"exited with code {exit}");
        lock (_tailLock)
        {
            text.AppendLine("--- stderr (tail) ---");
            foreach (var line in _stderrTail)
            {
                text.AppendLine(line);
            }

            text.AppendLine("--- stdout (tail) ---");
            foreach (var line in _stdoutTail)
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing left to kill.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        finally
        {
            Live.TryRemove(this, out _);
            _process.Dispose();
        }
    }

    private void OnLine(string? line, bool isStdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_tailLock)
        {
            var tail = isStdout ? _stdoutTail : _stderrTail;
            tail.Enqueue(line);
            if (tail.Count > MaxTailLines)
            {
                tail.Dequeue();
            }
        }

        if (isStdout)
        {
            _onStdoutLine?.Invoke(line);
        }
    }
}
