using System.Globalization;

namespace CacheOperator.EvictionSim;

/// <summary>
/// Finds the value size at which the engine, given a fixed memory limit, holds on average about the
/// wanted number of items while it serves the trace. Filling with never-read keys is not enough: under
/// read-through load a segment-evicting store's occupancy depends on the traffic, so each attempt replays
/// a prefix of the trace itself and averages CurrentItems over its second half. Items held fall as the
/// value grows but not proportionally, so once a guess on each side is known the next one interpolates
/// between them instead of scaling.
/// </summary>
internal static class EngineCalibration
{
    /// <summary>A guess at per-item bytes beyond the value (header, key); only the first guesses use it.</summary>
    private const int OverheadGuess = 48;

    private const int MaxAttempts = 6;

    public static int ValueSizeFor(int items, long memoryBytes, int[] trace, TextWriter log)
    {
        int prefix = Math.Min(trace.Length, Math.Max(2_000_000, 20 * items));
        int valueSize = (int)Math.Max(16, memoryBytes / items - OverheadGuess);
        (int Size, double Held)? above = null;
        (int Size, double Held)? below = null;
        (int Size, double Error) best = (valueSize, double.MaxValue);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            double held;
            using (var engine = new EnginePolicy(memoryBytes, valueSize))
                held = Replay.Run(engine, trace.AsSpan(0, prefix)).AverageHeld;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  calibration: value {valueSize} B -> {held:0} items held on average (want {items})"));
            double error = Math.Abs(held - items);
            if (error < best.Error)
                best = (valueSize, error);
            if (error <= items / 50.0)
                break;

            if (held > items)
                above = (valueSize, held);
            else
                below = (valueSize, held);
            int next = above is { } a && below is { } b
                ? (int)Math.Round(a.Size + (b.Size - a.Size) * (a.Held - items) / (a.Held - b.Held))
                : (int)Math.Max(16, Math.Round((valueSize + OverheadGuess) * held / items) - OverheadGuess);
            if (next == valueSize)
                break;
            valueSize = next;
        }
        return best.Size;
    }
}
