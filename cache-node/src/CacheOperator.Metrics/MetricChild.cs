using System.Buffers;

namespace CacheOperator.Metrics;

/// <summary>One labelled series of a family (or the only one, when the family has no labels).</summary>
internal abstract class MetricChild(MetricFamily family, byte[] labels)
{
    public MetricFamily Family { get; } = family;

    /// <summary>The rendered pairs without braces, e.g. <c>command="get",result="hit"</c>; empty when unlabelled.</summary>
    public byte[] Labels { get; } = labels;

    public abstract void WriteSamples(IBufferWriter<byte> output);
}
