using System.Diagnostics;
using System.Net.Sockets;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// One probe attempt against a pod's address: httpGet (2xx/3xx passes), tcpSocket (a connection passes) or exec
/// (exit code 0 passes; runs on the host with the container's environment). A timeout is a failure.
/// </summary>
public sealed class ProbeRunner(HttpClient http)
{
    /// <summary>Runs an exec probe's command: (command, timeout) → exit code.</summary>
    public delegate Task<int> ExecRunner(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct);

    public async Task<bool> RunAsync(Probe probe, string podIP, Container container, ExecRunner? exec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(container);
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        try
        {
            if (probe.HttpGet is { } get)
            {
                var scheme = string.IsNullOrEmpty(get.Scheme) ? "http" : get.Scheme.ToLowerInvariant();
                var path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path.StartsWith('/') ? get.Path : "/" + get.Path;
                var uri = new Uri($"{scheme}://{get.Host ?? podIP}:{ResolvePort(get.Port, container)}{path}");
                using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            if (probe.TcpSocket is { } tcp)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(tcp.Host ?? podIP, ResolvePort(tcp.Port, container), attempt.Token).ConfigureAwait(false);
                return true;
            }

            if (probe.Exec?.Command is { Count: > 0 } command && exec is not null)
                return await exec(command.ToList(), timeout, ct).ConfigureAwait(false) == 0;

            // A probe with no handler the sandbox knows passes, rather than holding the pod back forever.
            return probe.Exec is null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or InvalidOperationException
            or UriFormatException or ContainerConfigException)
        {
            return false;
        }
    }

    /// <summary>A number, or the name of one of the container's ports.</summary>
    public static int ResolvePort(IntOrString port, Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!port.IsString)
            return port.IntValue;
        if (int.TryParse(port.StringValue, System.Globalization.CultureInfo.InvariantCulture, out var number))
            return number;
        return container.Ports?.FirstOrDefault(p => p.Name == port.StringValue)?.Port
            ?? throw new ContainerConfigException($"container {container.Name} has no port named \"{port.StringValue}\"");
    }

    /// <summary>Runs a host command to completion (killing it at the timeout); the exit code, or -1 on timeout.</summary>
    public static async Task<int> RunHostCommandAsync(IReadOnlyList<string> command, IDictionary<string, string> environment,
        string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in command.Skip(1))
            info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (key, value) in environment)
            info.Environment[key] = value;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(ct), process.StandardError.ReadToEndAsync(ct));
        try
        {
            await process.WaitForExitAsync(ct).WaitAsync(timeout, ct).ConfigureAwait(false);
            await drain.ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (TimeoutException)
        {
            return -1;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
