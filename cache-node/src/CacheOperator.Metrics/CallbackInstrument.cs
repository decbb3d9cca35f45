using System.Buffers;

namespace CacheOperator.Metrics;

/// <summary>A counter or gauge whose value is read at scrape time.</summary>
internal sealed class CallbackInstrument(MetricFamily family, byte[] labels, Func<double> read) : MetricChild(family, labels)
{
    public override void WriteSamples(IBufferWriter<byte> output)
        => TextFormat.WriteSample(output, Family.NameUtf8, default, Labels, default, read());
}
