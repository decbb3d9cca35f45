namespace CacheOperator.EvictionSim;

/// <summary>Feeds a trace to a policy, counting hits and sampling its size.</summary>
internal static class Replay
{
    private const int Samples = 100;

    public static ReplayResult Run(IEvictionPolicy policy, ReadOnlySpan<int> trace)
    {
        long hits = 0;
        long heldSum = 0;
        int heldSamples = 0;
        int step = Math.Max(1, trace.Length / Samples);
        for (int i = 0; i < trace.Length; i++)
        {
            if (policy.Access(trace[i]))
                hits++;
            if (i % step == step - 1 && i >= trace.Length / 2)
            {
                heldSum += policy.Count;
                heldSamples++;
            }
        }
        return new ReplayResult(
            trace.Length == 0 ? 0 : (double)hits / trace.Length,
            heldSamples == 0 ? policy.Count : (double)heldSum / heldSamples);
    }
}
