namespace CacheOperator.Api.Schema;

/// <summary>
/// The schema's MaxLength for a string field, or for each string of a list of strings. Bounds on lengths also
/// keep the API server's cost estimate for CEL rules that walk these strings within its budget.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaxLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
