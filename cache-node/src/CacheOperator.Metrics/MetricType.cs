namespace CacheOperator.Metrics;

/// <summary>The TYPE of a metric family in the text format.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
