namespace CacheOperator.Api.Schema;

/// <summary>
/// The values a string field may take. Enumerations are strings in C#, not enums, so that an object a server
/// did not validate still deserializes and the operator can say in status what is wrong with it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class EnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
