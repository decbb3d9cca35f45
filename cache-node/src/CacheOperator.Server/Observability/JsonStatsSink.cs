using System.Text;

namespace CacheOperator.Server.Observability;

/// <summary>Collects a stats group as name/value pairs, in order, for the JSON document.</summary>
internal readonly struct JsonStatsSink(Dictionary<string, object> values) : IStatsSink
{
    public void Add(ReadOnlySpan<byte> name, long value) => values[Encoding.UTF8.GetString(name)] = value;

    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        => values[Encoding.UTF8.GetString(name)] = Encoding.UTF8.GetString(value);

    public void Add(ReadOnlySpan<byte> name, double value, int decimals)
        => values[Encoding.UTF8.GetString(name)] = Math.Round(value, decimals);
}
