namespace CacheOperator.Protocol;

/// <summary>
/// memcached's number parsing (strtoul/strtol behind its safe_* wrappers): an optional sign, decimal digits,
/// the whole token; out-of-range values fail, and 32-bit fields keep memcached's truncation.
/// </summary>
public static class ProtocolNumbers
{
    /// <summary>safe_strtoull: unsigned 64-bit; a minus sign is accepted only when the value is zero.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<byte> token, out ulong value)
    {
        value = 0;
        if (token.IsEmpty)
            return false;
        var negative = false;
        if (token[0] is (byte)'+' or (byte)'-')
        {
            negative = token[0] == (byte)'-';
            token = token[1..];
            if (token.IsEmpty)
                return false;
        }

        foreach (var b in token)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
                return false;
            if (value > (ulong.MaxValue - digit) / 10)
                return false;
            value = value * 10 + digit;
        }

        return !negative || value == 0;
    }

    /// <summary>safe_strtol into a 32-bit field: a signed 64-bit parse, then truncated as C truncates it.</summary>
    public static bool TryParseInt32(ReadOnlySpan<byte> token, out int value)
    {
        value = 0;
        if (!TryParseInt64(token, out var wide))
            return false;
        value = unchecked((int)wide);
        return true;
    }

    /// <summary>strtol: signed 64-bit.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> token, out long value)
    {
        value = 0;
        if (token.IsEmpty)
            return false;
        var negative = token[0] == (byte)'-';
        if (token[0] is (byte)'+' or (byte)'-')
        {
            token = token[1..];
            if (token.IsEmpty)
                return false;
        }

        ulong magnitude = 0;
        foreach (var b in token)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
                return false;
            if (magnitude > ((ulong)long.MaxValue + 1 - digit) / 10)
                return false;
            magnitude = magnitude * 10 + digit;
        }

        if (!negative && magnitude > long.MaxValue)
            return false;
        value = negative ? unchecked((long)(0 - magnitude)) : (long)magnitude;
        return true;
    }

    /// <summary>Client flags: parsed as unsigned long and stored in 32 bits, as memcached 1.6 does.</summary>
    public static bool TryParseFlags(ReadOnlySpan<byte> token, out uint flags)
    {
        var ok = TryParseUInt64(token, out var wide);
        flags = unchecked((uint)wide);
        return ok;
    }
}
