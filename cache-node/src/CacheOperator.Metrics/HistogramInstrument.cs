using System.Buffers;
using System.Runtime.CompilerServices;

namespace CacheOperator.Metrics;

/// <summary>
/// Bucket counts and the sum, striped per processor like <see cref="StripedCells"/>: each stripe is a run of
/// longs in one array, padded to whole cache lines with a spare line between stripes. The count is the sum of
/// the buckets, so _count always equals the +Inf bucket even while observations race a scrape.
/// </summary>
internal sealed class HistogramInstrument : MetricChild, IHistogram
{
    private const int LongsPerLine = 8;

    /// <summary>Upper bounds, ascending, without +Inf.</summary>
    private readonly double[] _bounds;

    /// <summary>Longs per stripe: one per bucket (+Inf included), one for the sum's bits, then padding.</summary>
    private readonly int _stride;

    /// <summary>Stripe i occupies [LongsPerLine + i * stride, ...); the first line is padding.</summary>
    private readonly long[] _cells;

    public HistogramInstrument(MetricFamily family, byte[] labels) : base(family, labels)
    {
        _bounds = family.Buckets!;
        int used = _bounds.Length + 2;
        _stride = ((used + LongsPerLine - 1) / LongsPerLine + 1) * LongsPerLine;
        _cells = new long[LongsPerLine + StripedCells.StripeCount * _stride];
    }

    public void Observe(double value)
    {
        int bucket = FindBucket(value);
        int stripe = LongsPerLine + (Thread.GetCurrentProcessorId() & (StripedCells.StripeCount - 1)) * _stride;
        Interlocked.Increment(ref _cells[stripe + bucket]);
        AtomicDouble.Add(ref _cells[stripe + _bounds.Length + 1], value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindBucket(double value)
    {
        // A linear scan beats a binary search for the dozen or so buckets histograms have.
        double[] bounds = _bounds;
        for (int i = 0; i < bounds.Length; i++)
        {
            if (value <= bounds[i])
                return i;
        }
        return bounds.Length;
    }

    public override void WriteSamples(IBufferWriter<byte> output)
    {
        int buckets = _bounds.Length + 1;
        Span<long> counts = buckets <= 128 ? stackalloc long[buckets] : new long[buckets];
        counts.Clear();
        double sum = 0;
        for (int s = 0; s < StripedCells.StripeCount; s++)
        {
            int stripe = LongsPerLine + s * _stride;
            for (int b = 0; b < buckets; b++)
                counts[b] += Volatile.Read(ref _cells[stripe + b]);
            sum += AtomicDouble.Read(ref _cells[stripe + buckets]);
        }

        long cumulative = 0;
        byte[][] le = Family.BucketLabels!;
        for (int b = 0; b < buckets; b++)
        {
            cumulative += counts[b];
            TextFormat.WriteSample(output, Family.NameUtf8, "_bucket"u8, Labels, le[b], cumulative);
        }
        TextFormat.WriteSample(output, Family.NameUtf8, "_sum"u8, Labels, default, sum);
        TextFormat.WriteSample(output, Family.NameUtf8, "_count"u8, Labels, default, cumulative);
    }
}
