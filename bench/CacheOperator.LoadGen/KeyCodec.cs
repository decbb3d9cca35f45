namespace CacheOperator.LoadGen;

/// <summary>
/// Writes keys and values as bytes straight into a send buffer. A key is the prefix, then the key's
/// index in decimal left-padded with zeros so every key is exactly <see cref="KeySize"/> bytes. A value
/// is a pattern derived from (key, version), so a reader can recompute what it must have received.
/// </summary>
internal sealed class KeyCodec
{
    private readonly byte[] _prefix;

    public KeyCodec(string prefix, int keySize, int keyCount, int valueSize)
    {
        _prefix = System.Text.Encoding.ASCII.GetBytes(prefix);
        int digits = (keyCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        if (keySize < _prefix.Length + digits || keySize > 250)
            throw new ArgumentOutOfRangeException(nameof(keySize), keySize,
                $"key size must be between {_prefix.Length + digits} (prefix plus {digits} digits) and 250");
        KeySize = keySize;
        ValueSize = valueSize;
    }

    public int KeySize { get; }

    public int ValueSize { get; }

    public void WriteKey(Span<byte> destination, int key)
    {
        _prefix.CopyTo(destination);
        Span<byte> digits = destination[_prefix.Length..KeySize];
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + key % 10);
            key /= 10;
        }
    }

    /// <summary>The value for a key at a version: a readable header, then letters that depend on both.</summary>
    public void WriteValue(Span<byte> destination, int key, int version)
    {
        Span<byte> value = destination[..ValueSize];
        uint seed = (uint)key * 2654435761u ^ (uint)version * 40503u;
        for (int i = 0; i < value.Length; i++)
            value[i] = (byte)('a' + (seed + (uint)i * 7u) % 26u);
        // A header makes a mismatch readable in a hex dump; only when there is room for it.
        if (value.Length >= 24)
        {
            value[0] = (byte)'v';
            WriteDecimal(value.Slice(1, 10), (uint)version);
            value[11] = (byte)':';
            WriteDecimal(value.Slice(12, 10), (uint)key);
            value[22] = (byte)':';
        }
    }

    private static void WriteDecimal(Span<byte> destination, uint number)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + number % 10);
            number /= 10;
        }
    }
}
