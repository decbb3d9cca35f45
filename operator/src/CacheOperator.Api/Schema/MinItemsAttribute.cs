namespace CacheOperator.Api.Schema;

/// <summary>The schema's MinItems for a list field.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinItemsAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
