using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CacheOperator.LoadGen;

/// <summary>The outcome of a run: what was asked, what was measured.</summary>
internal sealed record RunResult
{
    public required LoadGenOptions Options { get; init; }
    public required WorkerCounters Counters { get; init; }
    public required LatencyHistogram Latency { get; init; }
    public double MeasuredSeconds { get; init; }
    public double WallSeconds { get; init; }
    public long PrefillItems { get; init; }
    public double PrefillSeconds { get; init; }
    public long PrefillFailures { get; init; }
    public string? Failure { get; init; }

    public double Throughput => MeasuredSeconds > 0 ? Counters.Operations / MeasuredSeconds : 0;

    public double HitRatio => Counters.Gets > 0 ? (double)Counters.Hits / Counters.Gets : 0;

    private static double Micros(long nanoseconds) => nanoseconds / 1000.0;

    public string ToHumanLine()
    {
        LoadGenOptions o = Options;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"loadgen {o.Host}:{o.Port} conns={o.Connections} threads={o.EffectiveThreads} depth={o.Pipeline} get={o.GetRatio:0.##} ");
        line.Append(CultureInfo.InvariantCulture,
            $"keys={o.Keys} key={o.KeySize}B value={o.ValueSize}{(o.LargestValue > o.ValueSize ? $"..{o.LargestValue}" : "")}B zipf={o.ZipfSkew:0.##}");
        if (PrefillItems > 0)
            line.Append(CultureInfo.InvariantCulture, $" | prefill {PrefillItems} items in {PrefillSeconds:0.00}s ({PrefillItems / Math.Max(PrefillSeconds, 1e-9):0} items/s, {PrefillFailures} failed)");
        if (MeasuredSeconds > 0)
        {
            line.Append(CultureInfo.InvariantCulture,
                $" | {Throughput:0} ops/s over {MeasuredSeconds:0.00}s, hit {HitRatio * 100:0.00}%, ");
            line.Append(CultureInfo.InvariantCulture,
                $"p50 {Micros(Latency.ValueAtQuantile(0.5)):0.0}us p90 {Micros(Latency.ValueAtQuantile(0.9)):0.0}us ");
            line.Append(CultureInfo.InvariantCulture,
                $"p99 {Micros(Latency.ValueAtQuantile(0.99)):0.0}us p999 {Micros(Latency.ValueAtQuantile(0.999)):0.0}us max {Micros(Latency.Max):0.0}us, ");
            line.Append(CultureInfo.InvariantCulture, $"errors {Counters.Errors}");
            if (o.Verify)
                line.Append(CultureInfo.InvariantCulture, $", verify failures {Counters.VerifyFailures}");
        }
        if (Failure is not null)
            line.Append(" | FAILED: ").Append(Failure);
        return line.ToString();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            LoadGenOptions o = Options;
            json.WriteStartObject();
            if (o.Label is not null)
                json.WriteString("label", o.Label);
            json.WriteString("target", $"{o.Host}:{o.Port}");
            json.WriteNumber("connections", o.Connections);
            json.WriteNumber("threads", o.EffectiveThreads);
            json.WriteNumber("pipeline", o.Pipeline);
            json.WriteNumber("get_ratio", o.GetRatio);
            json.WriteNumber("keys", o.Keys);
            json.WriteNumber("key_size", o.KeySize);
            json.WriteNumber("value_size", o.ValueSize);
            json.WriteNumber("value_size_max", o.LargestValue);
            json.WriteNumber("zipf", o.ZipfSkew);
            json.WriteBoolean("verify", o.Verify);
            json.WriteNumber("prefill_items", PrefillItems);
            json.WriteNumber("prefill_seconds", PrefillSeconds);
            json.WriteNumber("prefill_failures", PrefillFailures);
            json.WriteNumber("warmup_seconds", o.WarmupSeconds);
            json.WriteNumber("measured_seconds", MeasuredSeconds);
            json.WriteNumber("wall_seconds", WallSeconds);
            json.WriteNumber("ops", Counters.Operations);
            json.WriteNumber("all_ops", Counters.AllOperations);
            json.WriteNumber("ops_per_sec", Math.Round(Throughput, 1));
            json.WriteNumber("gets", Counters.Gets);
            json.WriteNumber("hits", Counters.Hits);
            json.WriteNumber("sets", Counters.Sets);
            json.WriteNumber("hit_ratio", Math.Round(HitRatio, 6));
            json.WriteNumber("errors", Counters.Errors);
            json.WriteNumber("verify_failures", Counters.VerifyFailures);
            json.WriteNumber("p50_us", Micros(Latency.ValueAtQuantile(0.5)));
            json.WriteNumber("p90_us", Micros(Latency.ValueAtQuantile(0.9)));
            json.WriteNumber("p99_us", Micros(Latency.ValueAtQuantile(0.99)));
            json.WriteNumber("p999_us", Micros(Latency.ValueAtQuantile(0.999)));
            json.WriteNumber("max_us", Micros(Latency.Max));
            if (Failure is null)
                json.WriteNull("failure");
            else
                json.WriteString("failure", Failure);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
