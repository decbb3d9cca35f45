namespace CacheOperator.Ring;

/// <summary>What <see cref="RingLoader"/> did with an offered document.</summary>
public enum RingLoadStatus
{
    /// <summary>The document is now the current ring.</summary>
    Applied,

    /// <summary>The document has the version already in use; nothing changed (a republish, or the same version arriving by two paths).</summary>
    Unchanged,

    /// <summary>The document has an older version than the one in use; the current ring stays.</summary>
    Stale,

    /// <summary>The document is invalid; the current ring stays.</summary>
    Invalid,
}
