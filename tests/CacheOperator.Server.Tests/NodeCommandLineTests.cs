using CacheOperator.CacheNode;

namespace CacheOperator.Server.Tests;

public class NodeCommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Parse_NoArguments_GivesMemcachedDefaults()
    {
        var options = NodeCommandLine.Parse([], NoEnvironment);

        Assert.Equal(11211, options.Port);
        Assert.Equal("127.0.0.1", options.ListenAddress);
        Assert.Equal(64, options.MemoryLimitMegabytes);
        Assert.Equal(1024 * 1024, options.MaxItemSize);
        Assert.Equal(1024, options.MaxConnections);
    }

    [Fact]
    public void Parse_ShortAndLongFlags_SetEveryOption()
    {
        var options = NodeCommandLine.Parse(
            ["-p", "0", "-l", "0.0.0.0", "-m", "128", "-I", "2m", "-c", "10", "-t", "3", "--admin-port=0", "-vv"], NoEnvironment);

        Assert.Equal(0, options.Port);
        Assert.Equal("0.0.0.0", options.ListenAddress);
        Assert.Equal(128, options.MemoryLimitMegabytes);
        Assert.Equal(2 * 1024 * 1024, options.MaxItemSize);
        Assert.Equal(10, options.MaxConnections);
        Assert.Equal(3, options.Threads);
        Assert.Equal(0, options.AdminPort);
        Assert.Equal(2, options.Verbosity);
    }

    [Fact]
    public void Parse_EnvironmentThenFlags_FlagsWin()
    {
        var environment = new Dictionary<string, string>
        {
            ["CACHE_NODE_PORT"] = "2000",
            ["CACHE_NODE_MEMORY_MB"] = "32",
            ["CACHE_NODE_MAX_ITEM_SIZE"] = "512k",
            ["CACHE_NODE_MAX_CONNECTIONS"] = "7",
            ["CACHE_NODE_THREADS"] = "1",
            ["CACHE_NODE_ADMIN_PORT"] = "2001",
            ["CACHE_NODE_LISTEN"] = "127.0.0.2",
        };

        var options = NodeCommandLine.Parse(["--port", "3000"], name => environment.GetValueOrDefault(name));

        Assert.Equal(3000, options.Port);
        Assert.Equal(32, options.MemoryLimitMegabytes);
        Assert.Equal(512 * 1024, options.MaxItemSize);
        Assert.Equal(7, options.MaxConnections);
        Assert.Equal(1, options.Threads);
        Assert.Equal(2001, options.AdminPort);
        Assert.Equal("127.0.0.2", options.ListenAddress);
    }

    [Theory]
    [InlineData("-p", "abc")]
    [InlineData("-p", "70000")]
    [InlineData("-l", "not-an-address")]
    [InlineData("-m", "0")]
    [InlineData("-I", "10")]
    [InlineData("-I", "1g")]
    [InlineData("-c", "-1")]
    [InlineData("--bogus", "1")]
    public void Parse_BadFlag_Throws(string flag, string value)
    {
        Assert.Throws<CommandLineException>(() => NodeCommandLine.Parse([flag, value], NoEnvironment));
    }

    [Fact]
    public void Parse_FlagWithoutValue_Throws()
    {
        Assert.Throws<CommandLineException>(() => NodeCommandLine.Parse(["-p"], NoEnvironment));
    }

    [Fact]
    public void Parse_Transport_IsEpollUnlessAnotherIsAskedFor()
    {
        // This machine is Linux x64: the node's own epoll threads are the default.
        Assert.Equal(NodeTransport.Epoll, NodeCommandLine.Parse([], NoEnvironment).Transport);
        Assert.Equal(NodeTransport.Epoll, NodeCommandLine.Parse(["--transport", "epoll"], NoEnvironment).Transport);
        Assert.Equal(NodeTransport.Kestrel, NodeCommandLine.Parse(["--transport", "kestrel"], NoEnvironment).Transport);
        Assert.Equal(NodeTransport.Kestrel, NodeCommandLine.Parse([], name => name == "CACHE_NODE_TRANSPORT" ? "kestrel" : null).Transport);
        Assert.Equal(NodeTransport.Direct,
            NodeCommandLine.Parse(["--transport", "direct"], name => name == "CACHE_NODE_TRANSPORT" ? "kestrel" : null).Transport);
        var unknown = Assert.Throws<CommandLineException>(() => NodeCommandLine.Parse(["--transport", "io_uring"], NoEnvironment));
        Assert.Contains("epoll, direct or kestrel", unknown.Message, StringComparison.Ordinal);
    }
}
