using System.Buffers;

namespace CacheOperator.Metrics;

/// <summary>
/// One shared cell, not striped: Set must replace the value atomically, which per-core deltas cannot do;
/// gauges are changed far less often than counters.
/// </summary>
internal sealed class GaugeInstrument(MetricFamily family, byte[] labels) : MetricChild(family, labels), IGauge
{
    private long _bits;

    public double Value => AtomicDouble.Read(ref _bits);

    public void Set(double value) => AtomicDouble.Write(ref _bits, value);

    public void Inc(double amount = 1) => AtomicDouble.Add(ref _bits, amount);

    public void Dec(double amount = 1) => AtomicDouble.Add(ref _bits, -amount);

    public override void WriteSamples(IBufferWriter<byte> output)
        => TextFormat.WriteSample(output, Family.NameUtf8, default, Labels, default, Value);
}
