namespace CacheOperator.EndToEnd.Tests;

/// <summary>Reads of preloaded keys in one 100 ms window of a <see cref="SteadyLoad"/>.</summary>
internal readonly record struct HitWindow(TimeSpan Start, long Gets, long Hits)
{
    public double Ratio => Gets == 0 ? double.NaN : (double)Hits / Gets;
}
