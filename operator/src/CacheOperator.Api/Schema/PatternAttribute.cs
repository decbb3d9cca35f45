namespace CacheOperator.Api.Schema;

/// <summary>
/// An ECMA regular expression a string field (or each string of a list of strings) must match. Keep patterns to
/// the syntax .NET and Go's RE2 read alike: no lookarounds, no backreferences.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}
