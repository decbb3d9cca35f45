namespace CacheOperator.Server;

internal static class AssemblyMarker
{
}
