namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>A running memcached-protocol server on 127.0.0.1 that a test started and will kill.</summary>
public interface ICacheServer : IDisposable
{
    /// <summary>Short label for messages: "memcached" or "cache-node".</summary>
    string Name { get; }

    int Port { get; }

    int Pid { get; }

    bool HasExited { get; }

    /// <summary>VmRSS in KiB, or null once the process is gone.</summary>
    long? ReadRssKilobytes();

    /// <summary>Command line, state and output tail, for failure messages.</summary>
    string Describe();
}
