using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CacheOperator.Ring;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>
/// A real backend on a loopback port: Debian's memcached, or our node. It can be killed and started again on
/// the same port; Dispose kills it whatever happened.
/// </summary>
internal sealed partial class BackendProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly bool _ourNode;
    private Process? _process;

    private BackendProcess(bool ourNode, int port)
    {
        _ourNode = ourNode;
        Port = port;
    }

    public int Port { get; private set; }

    public NodeAddress Address => new("127.0.0.1", Port);

    public bool IsOurNode => _ourNode;

    public static BackendProcess Memcached()
    {
        var backend = new BackendProcess(false, FreePort.Next());
        backend.Start();
        return backend;
    }

    public static BackendProcess Node()
    {
        var backend = new BackendProcess(true, 0);
        backend.Start();
        return backend;
    }

    /// <summary>Starts (again) on the same port.</summary>
    public void Start()
    {
        var info = _ourNode
            ? new ProcessStartInfo("dotnet") { ArgumentList = { RepositoryPaths.CacheNodeDll, "node", "-p", Port.ToString(), "--admin-port", "0", "-m", "32", "-t", "1" } }
            : new ProcessStartInfo("/usr/bin/memcached") { ArgumentList = { "-p", Port.ToString(), "-l", "127.0.0.1", "-U", "0", "-u", "root", "-m", "32", "-t", "1" } };
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start a backend");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        if (_ourNode)
        {
            var ready = _process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout).GetAwaiter().GetResult()
                ?? throw new InvalidOperationException("the node exited before it was ready");
            var match = ReadyLine().Match(ready);
            if (!match.Success)
                throw new InvalidOperationException($"unexpected ready line '{ready}'");
            Port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"memcached did not listen on {Port}");
    }

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the process: its sockets stay open but nothing answers.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process!.Id.ToString() } })!;
        kill.WaitForExit(5000);
    }

    /// <summary>Kills the process at once (SIGKILL): connections are reset, the port refuses.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            Signal("CONT");
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    [GeneratedRegex(@"^cache-node ready memcached=127\.0\.0\.1:(\d+) admin=")]
    private static partial Regex ReadyLine();
}
