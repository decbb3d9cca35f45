namespace CacheOperator.Controllers;

/// <summary>Settings of a <see cref="Controller{T}"/>.</summary>
public sealed record ControllerOptions
{
    /// <summary>Concurrent reconciles (of different keys).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Watch one namespace; null or empty for all.</summary>
    public string? Namespace { get; init; }

    /// <summary>How long in-flight reconciles may run on after shutdown starts before their token is cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-key retry backoff of failed reconciles.</summary>
    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(5);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(1000);

    /// <summary>Timings of every informer the controller starts (namespace and selectors are set per informer).</summary>
    public InformerOptions Informer { get; init; } = new();
}
