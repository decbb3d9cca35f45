using CacheOperator.CacheNode;

namespace CacheOperator.Server.Tests;

public sealed class RouterCommandLineTests : IDisposable
{
    private readonly string _ring = Path.GetTempFileName();

    [Fact]
    public void Parse_NoTransport_IsEpollOnLinux()
    {
        var options = RouterCommandLine.Parse(["--ring", _ring], _ => null);

        Assert.Equal(OperatingSystem.IsLinux() ? NodeTransport.Epoll : NodeTransport.Direct, options.Transport);
        Assert.Equal(TimeSpan.Zero, options.Poll);
    }

    [Fact]
    public void Parse_NoThreads_IsOnePerCoreUpToFour_SoBackendConnectionsDoNotGrowWithTheHost()
    {
        var options = RouterCommandLine.Parse(["--ring", _ring], _ => null);

        Assert.Equal(Math.Min(Environment.ProcessorCount, 4), options.Threads);
        Assert.Equal(12, RouterCommandLine.Parse(["--ring", _ring, "-t", "12"], _ => null).Threads);
    }

    [Fact]
    public void Parse_EveryTransport_IsTaken()
    {
        Assert.Equal(NodeTransport.Epoll, RouterCommandLine.Parse(["--ring", _ring, "--transport", "epoll"], _ => null).Transport);
        Assert.Equal(NodeTransport.Direct, RouterCommandLine.Parse(["--ring", _ring, "--transport", "direct"], _ => null).Transport);
        Assert.Equal(NodeTransport.Kestrel, RouterCommandLine.Parse(["--ring", _ring, "--transport", "kestrel"], _ => null).Transport);
        Assert.Equal(NodeTransport.Kestrel,
            RouterCommandLine.Parse(["--ring", _ring], name => name == "CACHE_NODE_TRANSPORT" ? "kestrel" : null).Transport);
    }

    [Fact]
    public void Parse_PollMicroseconds_FromFlagOrVariable()
    {
        Assert.Equal(TimeSpan.FromMicroseconds(50), RouterCommandLine.Parse(["--ring", _ring, "--poll-us", "50"], _ => null).Poll);
        Assert.Equal(TimeSpan.FromMicroseconds(80),
            RouterCommandLine.Parse(["--ring", _ring], name => name == "CACHE_NODE_POLL_US" ? "80" : null).Poll);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1000001")]
    [InlineData("soon")]
    public void Parse_PollOutOfRange_IsRefusedNamingTheFlag(string value)
    {
        var error = Assert.Throws<CommandLineException>(() => RouterCommandLine.Parse(["--ring", _ring, "--poll-us", value], _ => null));

        Assert.StartsWith("--poll-us", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_ring);
}
