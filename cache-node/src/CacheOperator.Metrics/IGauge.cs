namespace CacheOperator.Metrics;

/// <summary>A value that goes up and down.</summary>
public interface IGauge
{
    void Set(double value);

    void Inc(double amount = 1);

    void Dec(double amount = 1);

    double Value { get; }
}
