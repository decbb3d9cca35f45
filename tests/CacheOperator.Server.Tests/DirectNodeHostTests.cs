namespace CacheOperator.Server.Tests;

/// <summary>The host tests with the node's own direct socket transport on the memcached port.</summary>
public sealed class DirectNodeHostTests : NodeHostTests
{
    protected override NodeTransport Transport => NodeTransport.Direct;
}
