using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>The client-port tests with Kestrel's transport (the router's default, named with --transport kestrel).</summary>
public sealed class KestrelClientTransportTests(ITestOutputHelper output) : ClientTransportTests("kestrel", output);
