namespace CacheOperator.Controllers;

/// <summary>Settings of a <see cref="WorkQueue{TKey}"/>.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>Names the queue in metrics (label <c>name</c>).</summary>
    public string Name { get; init; } = "default";

    /// <summary>First delay of a key's rate-limited requeue; it doubles per consecutive failure (client-go: 5 ms).</summary>
    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Cap of the per-key retry delay (client-go: 1000 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(1000);
}
