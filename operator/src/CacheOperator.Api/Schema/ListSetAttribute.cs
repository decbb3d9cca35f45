namespace CacheOperator.Api.Schema;

/// <summary>The list holds distinct scalars (<c>x-kubernetes-list-type: set</c>): duplicates are rejected.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListSetAttribute : Attribute;
