namespace CacheOperator.Protocol;

/// <summary>Walks space-separated keys of a multi-key get without limit on their number.</summary>
public ref struct KeyEnumerator
{
    private ReadOnlySpan<byte> _rest;

    public KeyEnumerator(ReadOnlySpan<byte> rest)
    {
        _rest = rest;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>The text after <see cref="Current"/>: the keys not yet walked.</summary>
    public readonly ReadOnlySpan<byte> Rest => _rest;

    public readonly KeyEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var start = _rest.IndexOfAnyExcept((byte)' ');
        if (start < 0)
        {
            _rest = default;
            return false;
        }

        _rest = _rest[start..];
        var end = _rest.IndexOf((byte)' ');
        if (end < 0)
            end = _rest.Length;
        Current = _rest[..end];
        _rest = _rest[end..];
        return true;
    }
}
