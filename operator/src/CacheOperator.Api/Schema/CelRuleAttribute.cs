namespace CacheOperator.Api.Schema;

/// <summary>
/// A CEL validation rule (<c>x-kubernetes-validations</c>) on a type or field, with the message a person reads
/// when it fails. Every rule also has a C# twin in CacheClusterValidator
/// (for servers that do not run CEL), keyed by the rule text.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;
}
