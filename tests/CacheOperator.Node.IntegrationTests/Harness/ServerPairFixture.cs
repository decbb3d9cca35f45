namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// One reference memcached and one node under test with the same settings, shared by the tests of a class
/// (xunit runs a class's tests one at a time, and each test starts from flush_all).
/// </summary>
public sealed class ServerPairFixture : IDisposable
{
    public ServerPairFixture()
    {
        Reference = MemcachedProcess.Start(Settings);
        try
        {
            Candidate = NodeUnderTest.Start(Settings);
        }
        catch
        {
            Reference.Dispose();
            throw;
        }
    }

    public static ServerSettings Settings { get; } = new(MemoryMegabytes: 64, MaxItemSize: "1m");

    /// <summary>Debian's memcached: what a reply should be.</summary>
    public ICacheServer Reference { get; }

    /// <summary>Our node: what a reply is.</summary>
    public ICacheServer Candidate { get; }

    public void Dispose()
    {
        Candidate.Dispose();
        Reference.Dispose();
    }
}
