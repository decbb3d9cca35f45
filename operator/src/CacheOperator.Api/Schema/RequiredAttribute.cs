namespace CacheOperator.Api.Schema;

/// <summary>The field must be present (it joins its object's <c>required</c> list).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RequiredAttribute : Attribute;
