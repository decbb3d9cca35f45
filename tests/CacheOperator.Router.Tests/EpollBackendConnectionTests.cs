using CacheOperator.Ring;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>How an epoll loop's own backend connections reach their backend.</summary>
[Trait("Category", "Integration")]
public sealed class EpollBackendConnectionTests : IDisposable
{
    private readonly BackendProcess _node = BackendProcess.Node();
    private readonly string _directory = Directory.CreateTempSubdirectory("router-epoll-connect-").FullName;

    /// <summary>
    /// A loop connects without blocking, so a backend named by host name (a headless Service's DNS name) is resolved
    /// off the loop first: the ring may name it so, and requests queued meanwhile go once it connects.
    /// </summary>
    [Fact]
    public async Task BackendNamedByHostName_IsResolvedAndServed()
    {
        var ringFile = Path.Combine(_directory, "ring-by-name.json");
        await File.WriteAllBytesAsync(ringFile, RingFactory.Json(RingFactory.Ring(1,
            [RingFactory.Pool("main", [], [new NodeAddress("localhost", _node.Port)])])));
        using var router = new RouterProcess(ringFile, "--transport", "epoll", "-t", "1");
        using var client = new TextClient(router.Port);

        Assert.Equal("STORED\r\n", await client.SetAsync("by-name", "reached"));
        Assert.Equal("reached", await client.GetAsync("by-name"));
    }

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
