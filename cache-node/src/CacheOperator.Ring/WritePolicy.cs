namespace CacheOperator.Ring;

/// <summary>When the router acknowledges a write to a replicated pool.</summary>
public enum WritePolicy
{
    /// <summary>After every copy answered (<c>all</c>).</summary>
    All,

    /// <summary>After the first copy answered (<c>first</c>).</summary>
    First,
}
