using System.Globalization;

namespace CacheOperator.Server.Hosting;

/// <summary>
/// The runtime's socket engine settings both roles give themselves. The engine reads them from the process
/// environment once, when the first socket is created, so they must be in place before the host is built.
/// A variable already set in the environment is left as it is: it is the operator's explicit override.
/// </summary>
public static class SocketEngineSettings
{
    /// <summary>
    /// Completions run on the epoll thread that saw the event instead of hopping to the thread pool. The sessions
    /// of either role never block, and a request/reply round trip is about a fifth shorter (docs/performance.md).
    /// </summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// How many epoll threads the engine runs. With inline completions these threads run every session on the
    /// runtime's sockets (and, in the router, every backend connection), so this is the role's real I/O thread
    /// count, the equivalent of memcached's -t.
    /// </summary>
    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>The variables to set for <paramref name="threads"/> I/O threads, leaving out those the environment already has.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(int threads, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new List<KeyValuePair<string, string>>(2);
        if (environment(InlineCompletionsVariable) is null)
            settings.Add(new(InlineCompletionsVariable, "1"));
        if (environment(ThreadCountVariable) is null)
            settings.Add(new(ThreadCountVariable, threads.ToString(CultureInfo.InvariantCulture)));
        return settings;
    }

    /// <summary>Sets <see cref="Settings"/> in this process's environment; call before any socket exists.</summary>
    public static void Apply(int threads)
    {
        foreach (var (name, value) in Settings(threads, Environment.GetEnvironmentVariable))
            Environment.SetEnvironmentVariable(name, value);
    }
}
