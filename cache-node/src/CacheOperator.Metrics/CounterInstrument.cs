using System.Buffers;

namespace CacheOperator.Metrics;

internal sealed class CounterInstrument(MetricFamily family, byte[] labels) : MetricChild(family, labels), ICounter
{
    private readonly StripedCells _cells = new();

    public double Value => _cells.Sum();

    public void Inc() => _cells.Increment();

    public void Add(long count)
    {
        // A counter that went down would read as a restart to Prometheus' rate().
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _cells.Add(count);
    }

    public void Add(double amount)
    {
        if (!(amount >= 0))
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter only goes up");
        _cells.AddDouble(amount);
    }

    public override void WriteSamples(IBufferWriter<byte> output)
        => TextFormat.WriteSample(output, Family.NameUtf8, default, Labels, default, Value);
}
