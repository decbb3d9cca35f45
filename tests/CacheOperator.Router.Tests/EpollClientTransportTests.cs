using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>The router's default transport on Linux: its own epoll loops, which also run the sessions' backend connections.</summary>
public sealed class EpollClientTransportTests(ITestOutputHelper output) : ClientTransportTests("epoll", output);
