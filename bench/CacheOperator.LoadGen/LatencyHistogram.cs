using System.Numerics;

namespace CacheOperator.LoadGen;

/// <summary>
/// A log-linear (HDR-style) histogram of non-negative integers: values below 256 are exact, above that
/// every power of two is split into 128 linear buckets, so any recorded value is known within 1/128
/// (under 0.8%) across the whole 63-bit range with a fixed array. Recording is a few instructions and
/// never allocates. Not thread-safe: each worker has its own and they are merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int ExactLimit = 2 * SubBucketCount;
    private const int BucketCount = ExactLimit + (62 - SubBucketBits) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];

    public long TotalCount { get; private set; }

    public long Max { get; private set; }

    public void Record(long value)
    {
        if (value < 0)
            value = 0;
        _counts[IndexOf(value)]++;
        TotalCount++;
        if (value > Max)
            Max = value;
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < BucketCount; i++)
            _counts[i] += other._counts[i];
        TotalCount += other.TotalCount;
        Max = Math.Max(Max, other.Max);
    }

    public void Reset()
    {
        Array.Clear(_counts);
        TotalCount = 0;
        Max = 0;
    }

    /// <summary>The value at quantile q (0..1): the midpoint of the bucket holding the q-th recorded value.</summary>
    public long ValueAtQuantile(double q)
    {
        if (TotalCount == 0)
            return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(q * TotalCount));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Min(Max, Midpoint(i));
        }
        return Max;
    }

    internal static int IndexOf(long value)
    {
        if (value < ExactLimit)
            return (int)value;
        int msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = msb - SubBucketBits;
        int mantissa = (int)(value >> shift);
        return ExactLimit + (shift - 1) * SubBucketCount + (mantissa - SubBucketCount);
    }

    internal static long LowestOf(int index)
    {
        if (index < ExactLimit)
            return index;
        int shift = (index - ExactLimit) / SubBucketCount + 1;
        long mantissa = (index - ExactLimit) % SubBucketCount + SubBucketCount;
        return mantissa << shift;
    }

    private static long Midpoint(int index)
    {
        if (index < ExactLimit)
            return index;
        int shift = (index - ExactLimit) / SubBucketCount + 1;
        return LowestOf(index) + ((1L << shift) >> 1);
    }
}
