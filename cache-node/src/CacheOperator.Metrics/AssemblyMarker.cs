namespace CacheOperator.Metrics;

internal static class AssemblyMarker
{
}
