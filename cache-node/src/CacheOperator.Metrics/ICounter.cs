namespace CacheOperator.Metrics;

/// <summary>A monotonically increasing value; recording is lock-free and allocation-free.</summary>
public interface ICounter
{
    /// <summary>Adds one.</summary>
    void Inc();

    /// <summary>Adds a whole, non-negative amount.</summary>
    void Add(long count);

    /// <summary>Adds a non-negative amount (seconds, ratios).</summary>
    void Add(double amount);

    /// <summary>The current total, summed over every recording thread.</summary>
    double Value { get; }
}
