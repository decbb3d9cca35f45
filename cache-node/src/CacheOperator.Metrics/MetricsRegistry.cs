using System.Buffers;

namespace CacheOperator.Metrics;

/// <summary>Our Prometheus registry: creates instruments and writes them in the text format.</summary>
public sealed class MetricsRegistry : IMetricsFactory, IMetricsExporter
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";

    public string ContentType => TextContentType;

    public ICounter Counter(string name, string help, params ReadOnlySpan<KeyValuePair<string, string>> labels)
        => throw new NotImplementedException();

    public IGauge Gauge(string name, string help, params ReadOnlySpan<KeyValuePair<string, string>> labels)
        => throw new NotImplementedException();

    public IHistogram Histogram(string name, string help, ReadOnlySpan<double> buckets,
        params ReadOnlySpan<KeyValuePair<string, string>> labels) => throw new NotImplementedException();

    public void CounterFunc(string name, string help, Func<double> read, params ReadOnlySpan<KeyValuePair<string, string>> labels)
        => throw new NotImplementedException();

    public void GaugeFunc(string name, string help, Func<double> read, params ReadOnlySpan<KeyValuePair<string, string>> labels)
        => throw new NotImplementedException();

    public void AddBeforeScrape(Action callback) => throw new NotImplementedException();

    public void WriteTo(IBufferWriter<byte> output) => throw new NotImplementedException();

    public Task WriteToAsync(Stream output, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
