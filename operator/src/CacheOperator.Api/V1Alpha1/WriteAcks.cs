namespace CacheOperator.Api.V1Alpha1;

/// <summary>Values of <c>spec.router.writeAck</c>.</summary>
public static class WriteAcks
{
    public const string All = "all";
    public const string First = "first";
}
