namespace CacheOperator.Metrics;

/// <summary>
/// Creates instruments. The same name and label values return the same instrument; every instrument of one
/// name forms one family (one HELP and TYPE block) and must agree on type, help and label names.
/// Labels are name/value pairs.
/// </summary>
public interface IMetricsFactory
{
    ICounter Counter(string name, string help, params ReadOnlySpan<(string Name, string Value)> labels);

    IGauge Gauge(string name, string help, params ReadOnlySpan<(string Name, string Value)> labels);

    /// <summary>A histogram with these upper bounds (ascending; +Inf is implied).</summary>
    IHistogram Histogram(string name, string help, ReadOnlySpan<double> buckets,
        params ReadOnlySpan<(string Name, string Value)> labels);

    /// <summary>A counter whose value is read from <paramref name="read"/> at scrape time.</summary>
    void CounterFunc(string name, string help, Func<double> read, params ReadOnlySpan<(string Name, string Value)> labels);

    /// <summary>A gauge whose value is read from <paramref name="read"/> at scrape time.</summary>
    void GaugeFunc(string name, string help, Func<double> read, params ReadOnlySpan<(string Name, string Value)> labels);

    /// <summary>Runs before every scrape, before any callback instrument is read (to take one snapshot for many).</summary>
    void AddBeforeScrape(Action callback);
}
