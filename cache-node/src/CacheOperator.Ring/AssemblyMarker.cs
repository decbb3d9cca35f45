namespace CacheOperator.Ring;

internal static class AssemblyMarker
{
}
