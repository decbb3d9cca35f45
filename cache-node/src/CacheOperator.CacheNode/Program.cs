using CacheOperator.CacheNode;
using CacheOperator.Server;
using CacheOperator.Server.Hosting;

// The executable picks its role from the first argument; each role has its own options.
const int usageError = 2;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    await Console.Error.WriteLineAsync(NodeCommandLine.Usage);
    return args.Length == 0 ? usageError : 0;
}

switch (args[0])
{
    case "node":
        break;
    case "router":
        return await RouterCommandLine.RunAsync(args[1..]);
    default:
        await Console.Error.WriteLineAsync($"cache-node: unknown role '{args[0]}' (expected 'node' or 'router')");
        await Console.Error.WriteLineAsync(NodeCommandLine.Usage);
        return usageError;
}

NodeOptions options;
NodeHost host;
try
{
    options = NodeCommandLine.Parse(args[1..], Environment.GetEnvironmentVariable);
    // Inline socket completions and -t epoll threads: read by the socket engine when the first socket is made.
    SocketEngineSettings.Apply(options.Threads);
    host = NodeHost.Create(options);
}
catch (Exception ex) when (ex is CommandLineException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"cache-node: {ex.Message}");
    await Console.Error.WriteLineAsync(NodeCommandLine.Usage);
    return usageError;
}

await using (host)
{
    try
    {
        await host.StartAsync();
    }
    catch (IOException ex)
    {
        await Console.Error.WriteLineAsync($"cache-node: cannot listen: {ex.Message}");
        return 1;
    }

    Console.Out.WriteLine($"cache-node ready memcached={host.MemcachedEndPoint} admin={host.AdminEndPoint}");
    Console.Out.Flush();
    await host.WaitForShutdownAsync();
}

return 0;
