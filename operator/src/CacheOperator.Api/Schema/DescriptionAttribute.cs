namespace CacheOperator.Api.Schema;

/// <summary>The schema's description of a type or field: what <c>kubectl explain</c> shows.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, Inherited = false)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
