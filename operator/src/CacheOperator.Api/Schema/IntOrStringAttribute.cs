namespace CacheOperator.Api.Schema;

/// <summary>
/// The field (or each value of a map) is an integer or a string (<c>x-kubernetes-int-or-string</c>), as
/// Kubernetes quantities are: <c>cpu: 1</c> and <c>cpu: 500m</c> are both valid. C# reads either as a string.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class IntOrStringAttribute : Attribute;
