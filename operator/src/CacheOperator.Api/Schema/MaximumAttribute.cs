namespace CacheOperator.Api.Schema;

/// <summary>The schema's inclusive maximum for an integer field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
