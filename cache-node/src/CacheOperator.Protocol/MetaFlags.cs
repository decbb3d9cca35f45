namespace CacheOperator.Protocol;

/// <summary>
/// The flags of one meta command (a letter, then an optional token: "T30", "v", "Oabc"), indexed by letter
/// so handlers look them up in O(1); return flags are written by walking the line again in request order.
/// </summary>
public ref struct MetaFlags
{
    /// <summary>A-Z and a-z.</summary>
    public const int LetterCount = 52;

    private readonly ReadOnlySpan<byte> _text;
    private MetaFlagBounds _bounds;
    private ulong _present;

    private MetaFlags(ReadOnlySpan<byte> text)
    {
        _text = text;
    }

    /// <summary>Reads tokens <paramref name="first"/>.. of the line as flags, each allowed by <paramref name="allowed"/>.</summary>
    public static MetaFlagError TryParse(in RequestLine line, int first, ReadOnlySpan<byte> allowed, out MetaFlags flags)
    {
        flags = new MetaFlags(line.Text);
        for (var i = first; i < line.Count; i++)
        {
            var token = line[i];
            var letter = token[0];
            var index = IndexOf(letter);
            if (index < 0 || !allowed.Contains(letter))
                return MetaFlagError.Invalid;
            var bit = 1UL << index;
            if ((flags._present & bit) != 0)
                return MetaFlagError.Duplicate;
            flags._present |= bit;
            var start = Offset(line.Text, token);
            flags._bounds[index] = ((long)(start + 1) << 32) | (uint)(token.Length - 1);
        }

        return MetaFlagError.None;
    }

    /// <summary>True when the flag was given.</summary>
    public readonly bool Has(byte letter)
    {
        var index = IndexOf(letter);
        return index >= 0 && (_present & (1UL << index)) != 0;
    }

    /// <summary>The token after the flag's letter (empty when the flag has none or was not given).</summary>
    public readonly ReadOnlySpan<byte> Token(byte letter)
    {
        if (!Has(letter))
            return default;
        var packed = _bounds[IndexOf(letter)];
        return _text.Slice((int)(packed >> 32), (int)(packed & 0xFFFFFFFF));
    }

    private static int IndexOf(byte letter) => letter switch
    {
        >= (byte)'A' and <= (byte)'Z' => letter - 'A',
        >= (byte)'a' and <= (byte)'z' => letter - 'a' + 26,
        _ => -1,
    };

    /// <summary>Where <paramref name="token"/> (a slice of <paramref name="text"/>) starts within it.</summary>
    private static int Offset(ReadOnlySpan<byte> text, ReadOnlySpan<byte> token)
    {
        _ = text.Overlaps(token, out var offset);
        return offset;
    }
}
