using System.Buffers;

namespace CacheOperator.Storage;

/// <summary>Where a stored value's bytes come from: one span, or a sequence of network buffers.</summary>
internal interface IValueSource
{
    int Length { get; }

    void CopyTo(Span<byte> destination);
}

/// <summary>A value held in one span.</summary>
internal readonly ref struct SpanValueSource(ReadOnlySpan<byte> value) : IValueSource
{
    private readonly ReadOnlySpan<byte> _value = value;

    public int Length => _value.Length;

    public void CopyTo(Span<byte> destination) => _value.CopyTo(destination);
}

/// <summary>A value spread over pipe segments, copied without first joining them.</summary>
internal readonly ref struct SequenceValueSource(in ReadOnlySequence<byte> value) : IValueSource
{
    private readonly ReadOnlySequence<byte> _value = value;

    public int Length => checked((int)_value.Length);

    public void CopyTo(Span<byte> destination) => _value.CopyTo(destination);
}
