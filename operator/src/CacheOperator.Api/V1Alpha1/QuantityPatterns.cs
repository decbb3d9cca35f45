namespace CacheOperator.Api.V1Alpha1;

/// <summary>Patterns for quantity strings.</summary>
public static class QuantityPatterns
{
    /// <summary>Any Kubernetes quantity (decimal, binary or exponent suffix), for resource maps.</summary>
    public const string Kubernetes =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>A size in bytes: a plain or decimal number with an optional binary or decimal suffix.</summary>
    public const string Size = @"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$";
}
