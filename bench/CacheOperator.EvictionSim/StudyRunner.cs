using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CacheOperator.EvictionSim;

/// <summary>Runs every policy over every trace and cache size and renders the table.</summary>
internal static class StudyRunner
{
    private static readonly string[] PolicyNames = ["LRU", "Segmented LRU (memcached)", "SIEVE", "S3-FIFO"];

    public static string Run(StudyOptions options, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        var table = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        table.AppendLine(inv, $"| skew | cache size | items | {string.Join(" | ", PolicyNames)} | engine (CacheStore) | engine items held | LRU at engine's count | S3-FIFO at engine's count | engine value size | engine live bytes / memory |");
        table.AppendLine($"|---|---|---|{string.Concat(Enumerable.Repeat("---|", PolicyNames.Length))}---|---|---|---|---|---|");

        foreach (double skew in options.Skews)
        {
            var watch = Stopwatch.StartNew();
            int[] trace = ZipfTrace.Generate(options.Keys, options.Requests, skew, options.Seed);
            log.WriteLine(string.Create(inv, $"skew {skew}: trace of {trace.Length} requests in {watch.Elapsed.TotalSeconds:0.0}s"));
            foreach (double percent in options.SizePercents)
            {
                int capacity = Math.Max(1, (int)(options.Keys * percent / 100));
                var cells = new List<string>();
                foreach (IEvictionPolicy policy in CreatePolicies(options.Keys, capacity))
                {
                    watch.Restart();
                    double ratio = Replay.Run(policy, trace).HitRatio;
                    log.WriteLine(string.Create(inv,
                        $"  {percent}% ({capacity} items) {policy.Name}: {ratio * 100:0.00}% in {watch.Elapsed.TotalSeconds:0.0}s, holds {policy.Count}"));
                    cells.Add(string.Create(inv, $"{ratio * 100:0.00}%"));
                }
                cells.AddRange(options.Engine ? RunEngine(options, trace, capacity, log) : ["not run", "", "", "", "", ""]);
                table.AppendLine(inv, $"| {skew} | {percent}% | {capacity} | {string.Join(" | ", cells)} |");
            }
        }
        log.WriteLine(string.Create(inv, $"study done in {total.Elapsed.TotalSeconds:0.0}s"));
        return table.ToString();
    }

    private static IEnumerable<IEvictionPolicy> CreatePolicies(int keys, int capacity)
    {
        yield return new LruPolicy(keys, capacity);
        yield return new SegmentedLruPolicy(keys, capacity);
        yield return new SievePolicy(keys, capacity);
        yield return new S3FifoPolicy(keys, capacity);
    }

    private static string[] RunEngine(StudyOptions options, int[] trace, int capacity, TextWriter log)
    {
        var inv = CultureInfo.InvariantCulture;
        try
        {
            long memory = options.EngineMemoryMiB * 1024L * 1024L;
            int valueSize = EngineCalibration.ValueSizeFor(capacity, memory, trace, log);
            var watch = Stopwatch.StartNew();
            using var engine = new EnginePolicy(memory, valueSize);
            ReplayResult result = Replay.Run(engine, trace);
            // Every item has the same size, so the live bytes follow from the items held.
            Storage.CacheStoreStats stats = engine.Stats;
            double itemBytes = stats.CurrentItems > 0 ? (double)stats.Bytes / stats.CurrentItems : 0;
            double liveFraction = result.AverageHeld * itemBytes / stats.LimitMaxBytes;
            log.WriteLine(string.Create(inv,
                $"  engine: {result.HitRatio * 100:0.00}% in {watch.Elapsed.TotalSeconds:0.0}s, holds {result.AverageHeld:0} on average, value {valueSize} B, live bytes {liveFraction * 100:0}% of memory, {stats}"));

            // Calibration replays only a prefix; if the engine's occupancy drifts over the whole trace, the
            // item-count policies rerun at the count it really held keep the comparison like for like.
            int held = Math.Max(1, (int)Math.Round(result.AverageHeld));
            double lruAtHeld = Replay.Run(new LruPolicy(options.Keys, held), trace).HitRatio;
            double s3FifoAtHeld = Replay.Run(new S3FifoPolicy(options.Keys, held), trace).HitRatio;
            return [string.Create(inv, $"{result.HitRatio * 100:0.00}%"), string.Create(inv, $"{result.AverageHeld:0}"),
                string.Create(inv, $"{lruAtHeld * 100:0.00}%"), string.Create(inv, $"{s3FifoAtHeld * 100:0.00}%"),
                string.Create(inv, $"{valueSize} B"),
                string.Create(inv, $"{liveFraction * 100:0}%")];
        }
        catch (NotImplementedException)
        {
            log.WriteLine("  engine: CacheStore is not implemented yet");
            return ["not implemented", "", "", "", "", ""];
        }
    }
}
