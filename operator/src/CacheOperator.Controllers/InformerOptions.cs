namespace CacheOperator.Controllers;

/// <summary>What an <see cref="Informer{T}"/> watches and how it recovers.</summary>
public sealed record InformerOptions
{
    /// <summary>Null or empty: all namespaces.</summary>
    public string? Namespace { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>List page size (kubectl and client-go use 500).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>First delay before re-listing after an error or 410; doubles up to <see cref="MaxRelistDelay"/>.</summary>
    public TimeSpan InitialRelistDelay { get; init; } = TimeSpan.FromMilliseconds(800);
    public TimeSpan MaxRelistDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each watch asks the server to end it after a random time in this range, as client-go does, so
    /// load spreads and a silently dead connection is noticed.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
