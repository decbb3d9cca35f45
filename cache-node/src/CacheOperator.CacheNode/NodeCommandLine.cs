using System.Globalization;
using CacheOperator.Server;

namespace CacheOperator.CacheNode;

/// <summary>
/// Reads the node role's settings: CACHE_NODE_* environment variables first, then flags, which win.
/// Flag names follow memcached's (-p, -l, -m, -I, -c, -t, -v).
/// </summary>
public static class NodeCommandLine
{
    public const string Usage = """
        usage: cache-node node [options]
          -p, --port <port>             memcached port (0 = any free port)       [CACHE_NODE_PORT, 11211]
          -l, --listen <address>        address to bind                           [CACHE_NODE_LISTEN, 127.0.0.1]
          -m, --memory-limit <MiB>      item memory                               [CACHE_NODE_MEMORY_MB, 64]
          -I, --max-item-size <bytes>   largest item, k/m suffixes accepted       [CACHE_NODE_MAX_ITEM_SIZE, 1m]
          -c, --conn-limit <count>      simultaneous connections                  [CACHE_NODE_MAX_CONNECTIONS, 1024]
          -t, --threads <count>         I/O threads, which run every session: the
                                        epoll transport's loop threads; with
                                        --transport direct|kestrel the runtime's
                                        socket (epoll) threads and Kestrel's I/O
                                        queues          [CACHE_NODE_THREADS, processor count]
                                        (DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT,
                                        when set, overrides the socket threads)
              --admin-port <port>       admin HTTP port (0 = any free port)       [CACHE_NODE_ADMIN_PORT, 11212]
              --transport <name>        memcached port transport: epoll (the node's
                                        own epoll threads, Linux x64/arm64), direct
                                        (its own socket loop on the runtime's
                                        socket threads) or kestrel                [CACHE_NODE_TRANSPORT, epoll]
              --cluster-token-file <f>  file holding the cluster token that the
                                        replication endpoints require             [CACHE_NODE_CLUSTER_TOKEN_FILE]
                                        (or the token itself in CACHE_NODE_CLUSTER_TOKEN)
              --insecure-dev-mode       serve replication endpoints without a token (development only)
          -v                            more logging (repeat for more)
        """;

    /// <summary>Builds the options; throws <see cref="CommandLineException"/> with a message for the user.</summary>
    public static NodeOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new NodeOptions();
        ApplyEnvironment(options, environment);

        CommandLineReader.Read(args, levels => options.Verbosity += levels, (arg, value) =>
        {
            switch (arg)
            {
                case "-p" or "--port":
                    options.Port = CommandLineReader.ParsePort(arg, value());
                    return true;
                case "-l" or "--listen":
                    options.ListenAddress = ParseListen(arg, value());
                    return true;
                case "-m" or "--memory-limit":
                    options.MemoryLimitMegabytes = CommandLineReader.ParseInt(arg, value(), 1, 1024 * 1024);
                    return true;
                case "-I" or "--max-item-size":
                    options.MaxItemSize = ParseSize(arg, value());
                    return true;
                case "-c" or "--conn-limit":
                    options.MaxConnections = CommandLineReader.ParseInt(arg, value(), 1, 1_000_000);
                    return true;
                case "-t" or "--threads":
                    options.Threads = CommandLineReader.ParseInt(arg, value(), 1, 1024);
                    return true;
                case "--admin-port":
                    options.AdminPort = CommandLineReader.ParsePort(arg, value());
                    return true;
                case "--transport":
                    options.Transport = ParseTransport(arg, value());
                    return true;
                case "--cluster-token-file":
                    options.ClusterTokenFile = ParseFile(arg, value());
                    return true;
                case "--insecure-dev-mode":
                    options.InsecureDevelopmentMode = true;
                    return true;
                default:
                    return false;
            }
        });

        return options;
    }

    private static void ApplyEnvironment(NodeOptions options, Func<string, string?> environment)
    {
        if (environment("CACHE_NODE_PORT") is { Length: > 0 } port)
            options.Port = CommandLineReader.ParsePort("CACHE_NODE_PORT", port);
        if (environment("CACHE_NODE_LISTEN") is { Length: > 0 } listen)
            options.ListenAddress = ParseListen("CACHE_NODE_LISTEN", listen);
        if (environment("CACHE_NODE_MEMORY_MB") is { Length: > 0 } memory)
            options.MemoryLimitMegabytes = CommandLineReader.ParseInt("CACHE_NODE_MEMORY_MB", memory, 1, 1024 * 1024);
        if (environment("CACHE_NODE_MAX_ITEM_SIZE") is { Length: > 0 } itemSize)
            options.MaxItemSize = ParseSize("CACHE_NODE_MAX_ITEM_SIZE", itemSize);
        if (environment("CACHE_NODE_MAX_CONNECTIONS") is { Length: > 0 } connections)
            options.MaxConnections = CommandLineReader.ParseInt("CACHE_NODE_MAX_CONNECTIONS", connections, 1, 1_000_000);
        if (environment("CACHE_NODE_THREADS") is { Length: > 0 } threads)
            options.Threads = CommandLineReader.ParseInt("CACHE_NODE_THREADS", threads, 1, 1024);
        if (environment("CACHE_NODE_ADMIN_PORT") is { Length: > 0 } adminPort)
            options.AdminPort = CommandLineReader.ParsePort("CACHE_NODE_ADMIN_PORT", adminPort);
        if (environment("CACHE_NODE_TRANSPORT") is { Length: > 0 } transport)
            options.Transport = ParseTransport("CACHE_NODE_TRANSPORT", transport);
    }

    internal static NodeTransport ParseTransport(string name, string value) => value.ToLowerInvariant() switch
    {
        "kestrel" => NodeTransport.Kestrel,
        "direct" => NodeTransport.Direct,
        "epoll" => NodeTransport.Epoll,
        _ => throw new CommandLineException($"{name}: '{value}' is not a transport (epoll, direct or kestrel)"),
    };

    private static string ParseFile(string name, string value)
        => File.Exists(value) ? value : throw new CommandLineException($"{name}: file '{value}' does not exist");

    private static string ParseListen(string name, string value)
    {
        if (string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase) || System.Net.IPAddress.TryParse(value, out _))
            return value;
        throw new CommandLineException($"{name}: '{value}' is not an IP address");
    }

    /// <summary>Bytes, or kilobytes/megabytes with a k/m suffix, as memcached's -I takes them.</summary>
    private static int ParseSize(string name, string value)
    {
        var multiplier = 1L;
        var digits = value;
        if (value.Length > 1 && char.ToLowerInvariant(value[^1]) is 'k' or 'm')
        {
            multiplier = char.ToLowerInvariant(value[^1]) == 'k' ? 1024 : 1024 * 1024;
            digits = value[..^1];
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            throw new CommandLineException($"{name}: '{value}' is not a size (bytes, or a number with k or m)");
        var bytes = parsed * multiplier;
        const long min = 1024;
        const long max = 128L * 1024 * 1024;
        if (bytes < min || bytes > max)
            throw new CommandLineException($"{name}: '{value}' must be between 1k and 128m");
        return (int)bytes;
    }
}
