namespace CacheOperator.Api.Schema;

/// <summary>
/// The list is a map keyed by these fields of its items (<c>x-kubernetes-list-type: map</c>): the API server
/// rejects two items with the same key, and server-side apply merges items by key. The key fields become
/// required.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListMapKeyAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
