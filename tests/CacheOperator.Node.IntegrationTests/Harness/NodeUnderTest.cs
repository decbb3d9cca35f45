namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// Starts the server the suites judge: our node. Setting CACHE_NODE_IT_TARGET=memcached starts a second memcached
/// in its place, which checks the harness itself (memcached against memcached must always agree).
/// </summary>
public static class NodeUnderTest
{
    public const string TargetVariable = "CACHE_NODE_IT_TARGET";

    public static bool IsMemcachedSelfCheck =>
        string.Equals(Environment.GetEnvironmentVariable(TargetVariable), "memcached", StringComparison.OrdinalIgnoreCase);

    public static ICacheServer Start(ServerSettings? settings = null) =>
        IsMemcachedSelfCheck ? MemcachedProcess.Start(settings) : CacheNodeProcess.Start(settings);
}
