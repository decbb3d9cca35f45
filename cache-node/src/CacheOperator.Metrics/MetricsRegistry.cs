using System.Buffers;
using System.Text;

namespace CacheOperator.Metrics;

/// <summary>
/// Our Prometheus registry: creates instruments and writes them in the text exposition format 0.0.4.
/// Creating an instrument takes a lock; recording on one never does. Families are written in creation order.
/// </summary>
public sealed class MetricsRegistry : IMetricsFactory, IMetricsExporter
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Guards creation: the name table and each family's child table.</summary>
    private readonly Lock _createLock = new();

    /// <summary>Serializes scrapes, so a before-scrape snapshot is the one the callbacks read.</summary>
    private readonly Lock _scrapeLock = new();

    private readonly Dictionary<string, MetricFamily> _byName = new(StringComparer.Ordinal);

    /// <summary>Families in creation order; replaced, never mutated, so a scrape reads it without the lock.</summary>
    private MetricFamily[] _families = [];

    private Action[] _beforeScrape = [];

    public string ContentType => TextContentType;

    public ICounter Counter(string name, string help, params ReadOnlySpan<(string Name, string Value)> labels)
        => (ICounter)GetOrCreate(name, help, MetricType.Counter, null, labels, static (f, l) => new CounterInstrument(f, l), allowExisting: true);

    public IGauge Gauge(string name, string help, params ReadOnlySpan<(string Name, string Value)> labels)
        => (IGauge)GetOrCreate(name, help, MetricType.Gauge, null, labels, static (f, l) => new GaugeInstrument(f, l), allowExisting: true);

    public IHistogram Histogram(string name, string help, ReadOnlySpan<double> buckets,
        params ReadOnlySpan<(string Name, string Value)> labels)
    {
        ValidateBuckets(buckets);
        return (IHistogram)GetOrCreate(name, help, MetricType.Histogram, buckets.ToArray(), labels,
            static (f, l) => new HistogramInstrument(f, l), allowExisting: true);
    }

    public void CounterFunc(string name, string help, Func<double> read, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        ArgumentNullException.ThrowIfNull(read);
        GetOrCreate(name, help, MetricType.Counter, null, labels, (f, l) => new CallbackInstrument(f, l, read), allowExisting: false);
    }

    public void GaugeFunc(string name, string help, Func<double> read, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        ArgumentNullException.ThrowIfNull(read);
        GetOrCreate(name, help, MetricType.Gauge, null, labels, (f, l) => new CallbackInstrument(f, l, read), allowExisting: false);
    }

    public void AddBeforeScrape(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_createLock)
            _beforeScrape = [.. _beforeScrape, callback];
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (_scrapeLock)
        {
            foreach (Action callback in Volatile.Read(ref _beforeScrape))
                callback();
            foreach (MetricFamily family in Volatile.Read(ref _families))
                family.Write(output);
        }
    }

    public async Task WriteToAsync(Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        WriteTo(buffer);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private MetricChild GetOrCreate(string name, string help, MetricType type, double[]? buckets,
        ReadOnlySpan<(string Name, string Value)> labels, Func<MetricFamily, byte[], MetricChild> create, bool allowExisting)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(help);
        if (!TextFormat.IsValidMetricName(name))
            throw new ArgumentException($"'{name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)", nameof(name));

        var labelNames = new string[labels.Length];
        var key = new StringBuilder();
        for (int i = 0; i < labels.Length; i++)
        {
            var (labelName, labelValue) = labels[i];
            ArgumentNullException.ThrowIfNull(labelValue, nameof(labels));
            if (labelName is null || !TextFormat.IsValidLabelName(labelName))
                throw new ArgumentException($"'{labelName}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)", nameof(labels));
            if (type == MetricType.Histogram && labelName == "le")
                throw new ArgumentException("a histogram cannot have a label named 'le'", nameof(labels));
            if (Array.IndexOf(labelNames, labelName, 0, i) >= 0)
                throw new ArgumentException($"label '{labelName}' is given twice", nameof(labels));
            labelNames[i] = labelName;
            key.Append(labelValue.Length).Append(':').Append(labelValue);
        }

        lock (_createLock)
        {
            if (_byName.TryGetValue(name, out MetricFamily? family))
                EnsureSameShape(family, help, type, labelNames, buckets);
            else
            {
                family = new MetricFamily(name, help, type, labelNames, buckets);
                _byName.Add(name, family);
                Volatile.Write(ref _families, [.. _families, family]);
            }

            string childKey = key.ToString();
            if (family.TryGetChild(childKey, out MetricChild existing))
            {
                if (!allowExisting || existing is CallbackInstrument)
                    throw new InvalidOperationException($"metric '{name}' with these label values is already registered");
                return existing;
            }
            MetricChild child = create(family, TextFormat.RenderLabels(labels));
            family.AddChild(childKey, child);
            return child;
        }
    }

    private static void EnsureSameShape(MetricFamily family, string help, MetricType type, string[] labelNames, double[]? buckets)
    {
        if (family.Type != type)
            throw new InvalidOperationException($"metric '{family.Name}' is already registered as a {family.Type}");
        if (family.Help != help)
            throw new InvalidOperationException($"metric '{family.Name}' is already registered with another help text");
        if (!family.LabelNames.AsSpan().SequenceEqual(labelNames))
            throw new InvalidOperationException(
                $"metric '{family.Name}' is already registered with labels ({string.Join(", ", family.LabelNames)})");
        if (buckets is not null && !family.Buckets!.AsSpan().SequenceEqual(buckets))
            throw new InvalidOperationException($"histogram '{family.Name}' is already registered with other buckets");
    }

    private static void ValidateBuckets(ReadOnlySpan<double> buckets)
    {
        if (buckets.IsEmpty)
            throw new ArgumentException("a histogram needs at least one bucket", nameof(buckets));
        for (int i = 0; i < buckets.Length; i++)
        {
            if (double.IsNaN(buckets[i]) || double.IsPositiveInfinity(buckets[i]))
                throw new ArgumentException("bucket bounds must be numbers (+Inf is implied)", nameof(buckets));
            if (i > 0 && buckets[i] <= buckets[i - 1])
                throw new ArgumentException("bucket bounds must be strictly ascending", nameof(buckets));
        }
    }
}
