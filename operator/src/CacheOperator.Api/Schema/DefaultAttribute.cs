namespace CacheOperator.Api.Schema;

/// <summary>
/// The value the API server fills in when the field is absent. A string, number or boolean; use
/// <see cref="DefaultObjectAttribute"/> for an empty object, so that the object's own field defaults apply too.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
