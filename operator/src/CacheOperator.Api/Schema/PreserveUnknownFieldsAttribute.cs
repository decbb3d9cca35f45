namespace CacheOperator.Api.Schema;

/// <summary>
/// The field (an object, or each object of a list) is passed through as written: the API server neither prunes
/// nor validates what is inside. For Kubernetes structures we hand on to pods unchanged (affinity, tolerations).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
