namespace CacheOperator.Server.Tests;

/// <summary>The host tests with Kestrel's socket transport on the memcached port.</summary>
public sealed class KestrelNodeHostTests : NodeHostTests
{
    protected override NodeTransport Transport => NodeTransport.Kestrel;
}
