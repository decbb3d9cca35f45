namespace CacheOperator.EvictionSim;

/// <summary>A fixed-seed request trace of keys in [0, keyCount) whose popularity follows Zipf(skew).</summary>
internal static class ZipfTrace
{
    public static int[] Generate(int keyCount, int requestCount, double skew, int seed)
    {
        var cdf = new double[keyCount];
        double sum = 0;
        for (int i = 0; i < keyCount; i++)
        {
            sum += Math.Pow(i + 1, -skew);
            cdf[i] = sum;
        }
        for (int i = 0; i < keyCount; i++)
            cdf[i] /= sum;
        cdf[keyCount - 1] = 1.0;

        // Popularity rank is not key order: a fixed shuffle spreads the hot keys over the key space
        // (and over the engine's hash partitions), as real key names would.
        var random = new Random(seed);
        int[] keyOfRank = Enumerable.Range(0, keyCount).ToArray();
        random.Shuffle(keyOfRank);

        var trace = new int[requestCount];
        for (int i = 0; i < requestCount; i++)
        {
            int rank = Array.BinarySearch(cdf, random.NextDouble());
            if (rank < 0)
                rank = ~rank;
            trace[i] = keyOfRank[Math.Min(rank, keyCount - 1)];
        }
        return trace;
    }
}
