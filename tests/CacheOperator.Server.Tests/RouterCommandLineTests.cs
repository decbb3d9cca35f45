using CacheOperator.CacheNode;

namespace CacheOperator.Server.Tests;

public sealed class RouterCommandLineTests : IDisposable
{
    private readonly string _ring = Path.GetTempFileName();

    [Fact]
    public void Parse_EpollTransport_IsRefusedBecauseRouterSessionsWaitOnOtherThreads()
    {
        var flag = Assert.Throws<CommandLineException>(() => RouterCommandLine.Parse(["--ring", _ring, "--transport", "epoll"], _ => null));
        var variable = Assert.Throws<CommandLineException>(() =>
            RouterCommandLine.Parse(["--ring", _ring], name => name == "CACHE_NODE_TRANSPORT" ? "epoll" : null));

        Assert.Contains("epoll is for the node role only", flag.Message, StringComparison.Ordinal);
        Assert.StartsWith("CACHE_NODE_TRANSPORT:", variable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DirectOrKestrelTransport_IsTaken()
    {
        Assert.Equal(NodeTransport.Direct, RouterCommandLine.Parse(["--ring", _ring, "--transport", "direct"], _ => null).Transport);
        Assert.Equal(NodeTransport.Kestrel, RouterCommandLine.Parse(["--ring", _ring, "--transport", "kestrel"], _ => null).Transport);
    }

    public void Dispose() => File.Delete(_ring);
}
