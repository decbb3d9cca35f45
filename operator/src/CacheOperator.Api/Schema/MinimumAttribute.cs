namespace CacheOperator.Api.Schema;

/// <summary>The schema's inclusive minimum for an integer field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
