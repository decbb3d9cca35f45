using CacheOperator.Router;
using CacheOperator.Router.Hosting;

namespace CacheOperator.CacheNode;

/// <summary>
/// Reads the router role's settings: CACHE_NODE_* environment variables first, then flags, which win.
/// The cluster token for POST /ring comes from CACHE_NODE_CLUSTER_TOKEN(_FILE), as on the node.
/// </summary>
public static class RouterCommandLine
{
    public const string Usage = """
        usage: cache-node router --ring <file> [options]
              --ring <file>             ring document (the mounted ConfigMap), re-read when it changes [CACHE_NODE_RING_FILE]
          -p, --port <port>             memcached port for clients (0 = any free port) [CACHE_NODE_PORT, 11211]
          -l, --listen <address>        address to bind                                [CACHE_NODE_LISTEN, 127.0.0.1]
          -t, --threads <count>         I/O threads: with epoll, loop threads that each
                                        run their clients and their own backend
                                        connections; with direct or kestrel, the socket
                                        (epoll) threads and Kestrel's I/O queues       [CACHE_NODE_THREADS, cores, at most 4]
                                        (DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT, when set, overrides the socket threads)
              --admin-port <port>       admin HTTP port (0 = any free port)            [CACHE_NODE_ADMIN_PORT, 11212]
              --transport <name>        client port transport: epoll (-t loop threads of
                                        our own, each running its clients and its own
                                        backend connections; Linux x64/arm64), direct
                                        (our socket loop on the runtime's socket
                                        threads) or kestrel                            [CACHE_NODE_TRANSPORT, epoll]
              --poll-us <µs>            with epoll: how long an I/O thread polls for
                                        events before it sleeps; for routers with
                                        cores of their own (0 = sleep at once)         [CACHE_NODE_POLL_US, 0]
              --backend-connections <n> pipelined connections per backend              [2]
          -v                            more logging (repeat for more)
        """;

    /// <summary>Runs the router role until SIGTERM or Ctrl-C; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        const int usageError = 2;
        RouterHost host;
        try
        {
            host = RouterHost.Create(Parse(args, Environment.GetEnvironmentVariable));
        }
        catch (Exception ex) when (ex is CommandLineException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"cache-node: {ex.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return usageError;
        }

        await using (host.ConfigureAwait(false))
        {
            try
            {
                await host.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"cache-node: cannot start the router: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            Console.Out.WriteLine($"cache-node ready memcached={host.MemcachedEndPoint} admin={host.AdminEndPoint}");
            Console.Out.Flush();
            await host.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Builds the options; throws <see cref="CommandLineException"/> with a message for the user.</summary>
    public static RouterOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new RouterOptions();
        if (environment("CACHE_NODE_RING_FILE") is { Length: > 0 } ring)
            options.RingFile = ring;
        if (environment("CACHE_NODE_PORT") is { Length: > 0 } port)
            options.Port = CommandLineReader.ParseInt("CACHE_NODE_PORT", port, 0, 65535);
        if (environment("CACHE_NODE_LISTEN") is { Length: > 0 } listen)
            options.ListenAddress = listen;
        if (environment("CACHE_NODE_THREADS") is { Length: > 0 } threads)
            options.Threads = CommandLineReader.ParseInt("CACHE_NODE_THREADS", threads, 1, 1024);
        if (environment("CACHE_NODE_ADMIN_PORT") is { Length: > 0 } adminPort)
            options.AdminPort = CommandLineReader.ParseInt("CACHE_NODE_ADMIN_PORT", adminPort, 0, 65535);
        if (environment("CACHE_NODE_TRANSPORT") is { Length: > 0 } transport)
            options.Transport = NodeCommandLine.ParseTransport("CACHE_NODE_TRANSPORT", transport);
        if (environment("CACHE_NODE_POLL_US") is { Length: > 0 } poll)
            options.Poll = TimeSpan.FromMicroseconds(CommandLineReader.ParseInt("CACHE_NODE_POLL_US", poll, 0, 1_000_000));

        CommandLineReader.Read(args, levels => options.Verbosity += levels, (arg, value) =>
        {
            switch (arg)
            {
                case "--ring":
                    options.RingFile = value();
                    return true;
                case "-p" or "--port":
                    options.Port = CommandLineReader.ParsePort(arg, value());
                    return true;
                case "-l" or "--listen":
                    options.ListenAddress = value();
                    return true;
                case "-t" or "--threads":
                    options.Threads = CommandLineReader.ParseInt(arg, value(), 1, 1024);
                    return true;
                case "--admin-port":
                    options.AdminPort = CommandLineReader.ParsePort(arg, value());
                    return true;
                case "--transport":
                    options.Transport = NodeCommandLine.ParseTransport(arg, value());
                    return true;
                case "--poll-us":
                    options.Poll = TimeSpan.FromMicroseconds(CommandLineReader.ParseInt(arg, value(), 0, 1_000_000));
                    return true;
                case "--backend-connections":
                    options.ConnectionsPerBackend = CommandLineReader.ParseInt(arg, value(), 1, 64);
                    return true;
                default:
                    return false;
            }
        });

        if (options.RingFile.Length == 0)
            throw new CommandLineException("--ring <file> is required");
        if (!File.Exists(options.RingFile))
            throw new CommandLineException($"--ring: file '{options.RingFile}' does not exist");
        return options;
    }
}
