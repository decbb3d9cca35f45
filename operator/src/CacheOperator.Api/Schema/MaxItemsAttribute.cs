namespace CacheOperator.Api.Schema;

/// <summary>The schema's MaxItems for a list field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaxItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
