using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CacheOperator.EvictionSim;

/// <summary>The markdown file the study leaves in bench/results.</summary>
internal static class Report
{
    public static string Render(StudyOptions options, string table)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Eviction hit-ratio study");
        text.AppendLine();
        text.AppendLine(inv, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        text.AppendLine();
        text.AppendLine(inv, $"Command (from the repository root): `dotnet bench/CacheOperator.EvictionSim/bin/Release/net10.0/evictionsim.dll {string.Join(' ', options.CommandLine.Split(' ').Skip(1))}`");
        text.AppendLine();
        text.AppendLine(inv, $"Traces: {options.Keys} keys, {options.Requests} requests each, Zipf skews {string.Join(", ", options.Skews)}, seed {options.Seed};");
        text.AppendLine("popularity ranks are shuffled over the key space. Read-through: every request is a get, a miss inserts the key.");
        text.AppendLine("Hit ratio is over the whole trace, cold start included (the same for every policy).");
        text.AppendLine("The four simulated policies are bounded by item count. The engine is the real `CacheStore`, bounded by bytes");
        text.AppendLine(inv, $"({options.EngineMemoryMiB} MiB, 1 MiB segments, crawler off), with the value size calibrated so it holds about the same number of items;");
        text.AppendLine("\"engine items held\" is its `CurrentItems` averaged over the second half of the trace (the calibration replays a prefix of the");
        text.AppendLine("trace and adjusts the value size until that average is within 2% of the simulated item count).");
        text.AppendLine("Where the engine's occupancy drifts over the full trace away from the calibrated count, \"LRU / S3-FIFO at engine's count\"");
        text.AppendLine("replay the item-count policies at the count the engine really held, so it can be compared like for like.");
        text.AppendLine("\"engine live bytes / memory\" is the average bytes of live items (header, key, value) over the memory limit: how");
        text.AppendLine("much of its memory the engine spends on items it can still serve under this traffic.");
        text.AppendLine();
        text.Append(table);
        text.AppendLine();
        text.AppendLine("Policies:");
        text.AppendLine("- LRU: exact, every hit moves the item to the head.");
        text.AppendLine("- Segmented LRU (memcached 1.6): HOT 20% / WARM 40% / COLD; reads only set fetched/active bits, the maintainer");
        text.AppendLine("  moves active HOT tails to WARM, idle ones to COLD, bumps active WARM tails, active COLD items go to WARM; evict from");
        text.AppendLine("  COLD's tail. Age limits (hot_max_factor, warm_max_factor) are not modelled; the maintainer runs synchronously.");
        text.AppendLine("- SIEVE: FIFO plus visited bit, a hand that sweeps from the tail and stays where it stopped.");
        text.AppendLine("- S3-FIFO: small FIFO 10%, main FIFO with a 2-bit frequency and reinsertion, ghost FIFO as large as main;");
        text.AppendLine("  an item leaving the small FIFO is promoted if it was read at least once there.");
        return text.ToString();
    }
}
