namespace CacheOperator.Metrics;

/// <summary>Counts observations into fixed buckets; exposed as cumulative _bucket{le}, _sum and _count.</summary>
public interface IHistogram
{
    void Observe(double value);
}
