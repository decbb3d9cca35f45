using System.Buffers;
using System.Text;

namespace CacheOperator.Metrics;

/// <summary>All series of one metric name: one HELP and TYPE block, then each child's samples.</summary>
internal sealed class MetricFamily
{
    /// <summary>Children by their label values (length-prefixed, so no value can fake a separator).</summary>
    private readonly Dictionary<string, MetricChild> _byLabelValues = new(StringComparer.Ordinal);

    /// <summary>Children in creation order; replaced, never mutated, so a scrape reads it without the lock.</summary>
    private MetricChild[] _children = [];

    /// <summary>"# HELP ...\n# TYPE ...\n" rendered once.</summary>
    private readonly byte[] _header;

    public MetricFamily(string name, string help, MetricType type, string[] labelNames, double[]? buckets)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
        Buckets = buckets;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        string typeName = type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        };
        _header = Encoding.UTF8.GetBytes($"# HELP {name} {TextFormat.EscapeHelp(help)}\n# TYPE {name} {typeName}\n");
        if (buckets is not null)
        {
            BucketLabels = new byte[buckets.Length + 1][];
            for (int i = 0; i < buckets.Length; i++)
                BucketLabels[i] = Encoding.UTF8.GetBytes($"le=\"{TextFormat.FormatDouble(buckets[i])}\"");
            BucketLabels[buckets.Length] = "le=\"+Inf\""u8.ToArray();
        }
    }

    public string Name { get; }

    public byte[] NameUtf8 { get; }

    public string Help { get; }

    public MetricType Type { get; }

    public string[] LabelNames { get; }

    /// <summary>Histogram upper bounds without +Inf; null for other types.</summary>
    public double[]? Buckets { get; }

    /// <summary>Rendered <c>le="bound"</c> pairs, +Inf last; null for other types.</summary>
    public byte[][]? BucketLabels { get; }

    /// <summary>Called under the registry's lock.</summary>
    public bool TryGetChild(string key, out MetricChild child) => _byLabelValues.TryGetValue(key, out child!);

    /// <summary>Called under the registry's lock.</summary>
    public void AddChild(string key, MetricChild child)
    {
        _byLabelValues.Add(key, child);
        Volatile.Write(ref _children, [.. _children, child]);
    }

    public void Write(IBufferWriter<byte> output)
    {
        MetricChild[] children = Volatile.Read(ref _children);
        if (children.Length == 0)
            return;
        output.Write(_header);
        foreach (MetricChild child in children)
            child.WriteSamples(output);
    }
}
