using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>The client-port tests with the direct transport (--transport direct).</summary>
public sealed class DirectClientTransportTests(ITestOutputHelper output) : ClientTransportTests("direct", output);
