namespace CacheOperator.LoadGen;

/// <summary>
/// Draws key ranks from a Zipf distribution over [0, n): rank i has weight 1/(i+1)^s. The CDF is computed
/// once and shared read-only by all threads, so a draw is one uniform number and a binary search.
/// A skew of 0 is uniform and needs no table.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[]? _cdf;
    private readonly int _count;

    public ZipfSampler(int count, double skew)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skew);
        _count = count;
        if (skew == 0)
            return;

        _cdf = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, skew);
            _cdf[i] = sum;
        }
        for (int i = 0; i < count; i++)
            _cdf[i] /= sum;
        // Rounding can leave the last entry a hair below 1; a draw of 0.99999999 must still land.
        _cdf[count - 1] = 1.0;
    }

    public int Count => _count;

    public int Sample(ref FastRandom random)
    {
        if (_cdf is null)
            return random.NextInt(_count);
        int index = Array.BinarySearch(_cdf, random.NextDouble());
        if (index < 0)
            index = ~index;
        return Math.Min(index, _count - 1);
    }
}
