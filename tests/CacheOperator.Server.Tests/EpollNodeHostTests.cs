namespace CacheOperator.Server.Tests;

/// <summary>The host tests with the node's own epoll threads on the memcached port.</summary>
public sealed class EpollNodeHostTests : NodeHostTests
{
    protected override NodeTransport Transport => NodeTransport.Epoll;
}
