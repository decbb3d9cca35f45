namespace CacheOperator.Protocol;

internal static class AssemblyMarker
{
}
