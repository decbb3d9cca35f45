using System.Globalization;

namespace CacheOperator.EvictionSim;

/// <summary>
/// Finds the value size at which the engine, given a fixed memory limit, holds on average about the
/// wanted number of items while it serves the trace. Filling with never-read keys is not enough: under
/// read-through load a segment-evicting store's occupancy saws up and down, so the calibration replays
/// a prefix of the trace itself, averages CurrentItems over its second half, corrects and repeats.
/// </summary>
internal static class EngineCalibration
{
    /// <summary>A guess at per-item bytes beyond the value (header, key); the loop corrects for it.</summary>
    private const int OverheadGuess = 48;

    public static int ValueSizeFor(int items, long memoryBytes, int[] trace, TextWriter log)
    {
        int prefix = Math.Min(trace.Length, Math.Max(1_000_000, 50 * items));
        int valueSize = (int)Math.Max(16, memoryBytes / items - OverheadGuess);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            double held;
            using (var engine = new EnginePolicy(memoryBytes, valueSize))
                held = Replay.Run(engine, trace.AsSpan(0, prefix)).AverageHeld;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  calibration: value {valueSize} B -> {held:0} items held on average (want {items})"));
            if (Math.Abs(held - items) <= items / 50.0)
                break;
            double bytesPerItem = (valueSize + OverheadGuess) * held / items;
            valueSize = (int)Math.Max(16, Math.Round(bytesPerItem) - OverheadGuess);
        }
        return valueSize;
    }
}
