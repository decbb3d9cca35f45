namespace CacheOperator.Api.Schema;

/// <summary>
/// Defaults an object field to <c>{}</c>. The API server then applies the defaults of the object's own fields,
/// so every effective setting is visible in the stored object without the user writing it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DefaultObjectAttribute : Attribute;
