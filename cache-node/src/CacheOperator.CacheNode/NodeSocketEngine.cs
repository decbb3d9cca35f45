using System.Globalization;
using CacheOperator.Server;

namespace CacheOperator.CacheNode;

/// <summary>
/// The runtime's socket engine settings the node role gives itself. The engine reads them from the process
/// environment once, when the first socket is created, so they must be in place before the host is built.
/// A variable already set in the environment is left as it is: it is the operator's explicit override.
/// </summary>
public static class NodeSocketEngine
{
    /// <summary>
    /// Completions run on the epoll thread that saw the event instead of hopping to the thread pool. The node's
    /// sessions never block, and a request/reply round trip is about a fifth shorter (docs/performance.md).
    /// </summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// How many epoll threads the engine runs. With inline completions these threads run every session, so
    /// this is the node's real I/O thread count, the equivalent of memcached's -t.
    /// </summary>
    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>The variables to set for <paramref name="options"/>, leaving out those the environment already has.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(NodeOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new List<KeyValuePair<string, string>>(2);
        if (environment(InlineCompletionsVariable) is null)
            settings.Add(new(InlineCompletionsVariable, "1"));
        if (environment(ThreadCountVariable) is null)
            settings.Add(new(ThreadCountVariable, options.Threads.ToString(CultureInfo.InvariantCulture)));
        return settings;
    }

    /// <summary>Sets <see cref="Settings"/> in this process's environment; call before any socket exists.</summary>
    public static void Apply(NodeOptions options)
    {
        foreach (var (name, value) in Settings(options, Environment.GetEnvironmentVariable))
            Environment.SetEnvironmentVariable(name, value);
    }
}
