using System.Globalization;
using System.Text.RegularExpressions;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// Our node (`dotnet cache-node.dll node -p 0 --admin-port 0 ...`) from the build output of the same
/// Configuration as this assembly; ready when it prints its ready line with the ports it bound.
/// </summary>
public sealed partial class CacheNodeProcess : ICacheServer
{
    /// <summary>Generous: the first start after a build JITs everything on a busy 2-core machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);

    private readonly ChildProcess _child;

    private CacheNodeProcess(ChildProcess child, int port, int adminPort)
    {
        _child = child;
        Port = port;
        AdminPort = adminPort;
    }

    public string Name => "cache-node";

    public int Port { get; }

    public int AdminPort { get; }

    public int Pid => _child.Pid;

    public bool HasExited => _child.HasExited;

    /// <param name="environment">Extra variables for the node (e.g. the cluster token); a null value removes one.</param>
    /// <param name="adminPort">The admin port to bind; 0 lets the node pick a free one.</param>
    public static CacheNodeProcess Start(
        ServerSettings? settings = null, IEnumerable<string>? extraArguments = null,
        IReadOnlyDictionary<string, string?>? environment = null, int adminPort = 0)
    {
        settings ??= ServerSettings.Default;
        var dll = RepositoryLayout.NodeDllPath;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException(
                $"The node is not built: {dll} does not exist. `dotnet test` builds it through the ProjectReference; " +
                "the CacheNode project must produce cache-node.dll (AssemblyName cache-node).");
        }

        var arguments = new List<string>
        {
            dll, "node", "-p", "0", "--admin-port", adminPort.ToString(CultureInfo.InvariantCulture),
            "-m", settings.MemoryMegabytes.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.MaxItemSize is { } maxItemSize)
        {
            arguments.AddRange(["-I", maxItemSize]);
        }

        if (settings.Threads is { } threads)
        {
            arguments.AddRange(["-t", threads.ToString(CultureInfo.InvariantCulture)]);
        }

        if (settings.Transport is { } transport)
        {
            arguments.AddRange(["--transport", transport]);
        }

        arguments.AddRange(extraArguments ?? []);

        var ready = new TaskCompletionSource<(int Port, int AdminPort)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = ChildProcess.Start(DotnetHost(), arguments, line =>
        {
            var match = ReadyLine().Match(line);
            if (match.Success)
            {
                ready.TrySetResult((
                    int.Parse(match.Groups["port"].ValueSpan, CultureInfo.InvariantCulture),
                    int.Parse(match.Groups["admin"].ValueSpan, CultureInfo.InvariantCulture)));
            }
        }, environment);

        try
        {
            var deadline = DateTime.UtcNow + StartTimeout;
            while (!ready.Task.IsCompleted && !child.HasExited && DateTime.UtcNow < deadline)
            {
                ready.Task.Wait(TimeSpan.FromMilliseconds(50));
            }

            if (!ready.Task.IsCompleted)
            {
                // Output events may still be in flight right after an exit; give them a moment before judging.
                ready.Task.Wait(TimeSpan.FromMilliseconds(300));
            }

            if (!ready.Task.IsCompleted)
            {
                var reason = child.HasExited ? "exited before printing its ready line" : $"printed no ready line within {StartTimeout.TotalSeconds:0}s";
                throw new InvalidOperationException($"cache-node {reason}.\n{child.Describe()}");
            }

            var (boundPort, boundAdminPort) = ready.Task.Result;
            return new CacheNodeProcess(child, boundPort, boundAdminPort);
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    public long? ReadRssKilobytes() => _child.ReadRssKilobytes();

    public string Describe() => _child.Describe();

    public void Dispose() => _child.Dispose();

    /// <summary>The dotnet host running the tests (the SDK exports it); PATH's dotnet otherwise.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    [GeneratedRegex(@"^cache-node ready memcached=127\.0\.0\.1:(?<port>\d+) admin=127\.0\.0\.1:(?<admin>\d+)$")]
    private static partial Regex ReadyLine();
}
