namespace CacheOperator.Metrics;

/// <summary>Writes every registered metric in the Prometheus text exposition format 0.0.4.</summary>
public interface IMetricsExporter
{
    /// <summary>The HTTP content type of the output.</summary>
    string ContentType { get; }

    void WriteTo(System.Buffers.IBufferWriter<byte> output);

    Task WriteToAsync(Stream output, CancellationToken cancellationToken = default);
}
