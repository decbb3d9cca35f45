namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>The settings both servers of a comparison are started with, so that their limits agree.</summary>
/// <param name="MemoryMegabytes">Item memory (-m).</param>
/// <param name="MaxItemSize">Largest item (-I), in memcached's syntax (e.g. "1m"); null keeps the default of 1m.</param>
/// <param name="Threads">I/O threads (-t); null keeps each server's default.</param>
/// <param name="Transport">
/// The node's memcached transport (--transport epoll|direct|kestrel); null keeps its default, which CACHE_NODE_TRANSPORT
/// in the test run's environment sets for every suite. memcached has no such choice and ignores it.
/// </param>
public sealed record ServerSettings(int MemoryMegabytes = 64, string? MaxItemSize = null, int? Threads = null, string? Transport = null)
{
    public static ServerSettings Default { get; } = new();
}
