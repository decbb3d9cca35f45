using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.Differential;

/// <summary>A raw conversation whose reply must be byte-identical on memcached and on our node.</summary>
/// <param name="Name">Stable, readable id: the theory parameter.</param>
/// <param name="Steps">Writes on one connection, each read to completion before the next.</param>
/// <param name="FreshServers">
/// Run on a newly started pair instead of the class's shared one: for requests that change server-wide state
/// beyond what flush_all resets (delayed flushes, shutdown).
/// </param>
public sealed record DifferentialCase(string Name, IReadOnlyList<RawStep> Steps, bool FreshServers = false);
