using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>The router as the executable runs it: <c>cache-node router --ring …</c>; killed on Dispose.</summary>
internal sealed partial class RouterProcess : IDisposable
{
    private readonly Process _process;

    /// <param name="ringFile">The ring document the router reads.</param>
    /// <param name="extraArgs">More flags for the router, after the harness's own (e.g. --transport kestrel).</param>
    public RouterProcess(string ringFile, params string[] extraArgs)
        : this(ringFile, new Dictionary<string, string?>(), extraArgs)
    {
    }

    /// <param name="ringFile">The ring document the router reads.</param>
    /// <param name="environment">Variables to set for the router; a null value removes an inherited one.</param>
    /// <param name="extraArgs">More flags for the router, after the harness's own (a later -t wins).</param>
    public RouterProcess(string ringFile, IReadOnlyDictionary<string, string?> environment, params string[] extraArgs)
        : this(ringFile, environment, oneThread: true, extraArgs)
    {
    }

    /// <param name="ringFile">The ring document the router starts with.</param>
    /// <param name="environment">Variables to set for the router; a null value removes an inherited one.</param>
    /// <param name="oneThread">Whether the harness passes -t 1 (false: the router's own default decides).</param>
    /// <param name="extraArgs">More flags for the router, after the harness's own (a later -t wins).</param>
    public RouterProcess(string ringFile, IReadOnlyDictionary<string, string?> environment, bool oneThread, params string[] extraArgs)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepositoryPaths.CacheNodeDll, "router", "--ring", ringFile, "-p", "0", "--admin-port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (oneThread)
        {
            info.ArgumentList.Add("-t");
            info.ArgumentList.Add("1");
        }

        foreach (var arg in extraArgs)
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the router");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        ReadyLine = _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("the router exited before it was ready");
        var match = Ready().Match(ReadyLine);
        if (!match.Success)
            throw new InvalidOperationException($"unexpected ready line '{ReadyLine}'");
        Port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        AdminPort = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public int AdminPort { get; }

    /// <summary>The router's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Pauses (STOP) or resumes (CONT) the whole router process, as a starved or frozen container would be.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit(5000);
    }

    public string ReadyLine { get; }

    public int Port { get; }

    /// <summary>The router's resident set (VmRSS) in KiB, or null once it has exited.</summary>
    public long? ReadRssKilobytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            // Gone.
        }

        return null;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^cache-node ready memcached=127\.0\.0\.1:(\d+) admin=127\.0\.0\.1:(\d+)$")]
    private static partial Regex Ready();
}
