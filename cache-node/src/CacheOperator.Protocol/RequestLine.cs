namespace CacheOperator.Protocol;

/// <summary>
/// One request line split on spaces the way memcached splits it: runs of spaces separate tokens, and after
/// <see cref="MaxTokens"/> - 1 tokens the rest of the line is left unsplit (multi-key gets read it with
/// <see cref="KeyEnumerator"/>). Every token is a span over the caller's buffer.
/// </summary>
public ref struct RequestLine
{
    /// <summary>memcached's MAX_TOKENS: its token counts include one terminal token, so 23 real ones.</summary>
    public const int MaxTokens = 24;

    private TokenBounds _bounds;

    private RequestLine(ReadOnlySpan<byte> text)
    {
        Text = text;
        var count = 0;
        var i = 0;
        while (i < text.Length && count < MaxTokens - 1)
        {
            while (i < text.Length && text[i] == (byte)' ')
                i++;
            if (i == text.Length)
                break;
            var start = i;
            var length = text[i..].IndexOf((byte)' ');
            if (length < 0)
                length = text.Length - i;
            _bounds[count++] = ((long)start << 32) | (uint)length;
            i = start + length;
        }

        while (i < text.Length && text[i] == (byte)' ')
            i++;
        RestStart = i;
        HasMore = i < text.Length;
        Count = count;
        Command = count == 0 ? CommandType.Unknown : Identify(this[0]);
    }

    /// <summary>The whole line, without its terminating CRLF or LF.</summary>
    public ReadOnlySpan<byte> Text { get; }

    /// <summary>Number of tokens split out (at most <see cref="MaxTokens"/> - 1).</summary>
    public int Count { get; }

    /// <summary>True when the line had more tokens than were split out.</summary>
    public bool HasMore { get; }

    /// <summary>memcached's token count: the split tokens plus its terminal one (which may carry the unsplit rest).</summary>
    public readonly int MemcachedTokenCount => HasMore ? MaxTokens : Count + 1;

    /// <summary>The command named by the first token.</summary>
    public CommandType Command { get; }

    private int RestStart { get; }

    public readonly ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var packed = _bounds[index];
            return Text.Slice((int)(packed >> 32), (int)(packed & 0xFFFFFFFF));
        }
    }

    /// <summary>True when the last token is "noreply" (memcached looks only there).</summary>
    public readonly bool IsNoReply => !HasMore && Count > 1 && this[Count - 1].SequenceEqual("noreply"u8);

    /// <summary>The keys from token <paramref name="index"/> to the end of the line, unsplit rest included.</summary>
    public readonly KeyEnumerator KeysFrom(int index) => new(TextFrom(index));

    /// <summary>The line from the start of token <paramref name="index"/> (empty when there is none).</summary>
    public readonly ReadOnlySpan<byte> TextFrom(int index)
    {
        var start = index < Count ? (int)(_bounds[index] >> 32) : RestStart;
        return Text[Math.Min(start, Text.Length)..];
    }

    public static RequestLine Parse(ReadOnlySpan<byte> text) => new(text);

    /// <summary>Names the command with one switch over the token's length, then u8 literal compares.</summary>
    public static CommandType Identify(ReadOnlySpan<byte> token) => token.Length switch
    {
        2 when token[0] == (byte)'m' => token[1] switch
        {
            (byte)'g' => CommandType.MetaGet,
            (byte)'s' => CommandType.MetaSet,
            (byte)'d' => CommandType.MetaDelete,
            (byte)'a' => CommandType.MetaArithmetic,
            (byte)'n' => CommandType.MetaNoop,
            (byte)'e' => CommandType.MetaDebug,
            _ => CommandType.Unknown,
        },
        3 when token.SequenceEqual("get"u8) => CommandType.Get,
        3 when token.SequenceEqual("set"u8) => CommandType.Set,
        3 when token.SequenceEqual("gat"u8) => CommandType.Gat,
        3 when token.SequenceEqual("add"u8) => CommandType.Add,
        3 when token.SequenceEqual("cas"u8) => CommandType.Cas,
        4 when token.SequenceEqual("gets"u8) => CommandType.Gets,
        4 when token.SequenceEqual("gats"u8) => CommandType.Gats,
        4 when token.SequenceEqual("incr"u8) => CommandType.Incr,
        4 when token.SequenceEqual("decr"u8) => CommandType.Decr,
        4 when token.SequenceEqual("quit"u8) => CommandType.Quit,
        5 when token.SequenceEqual("touch"u8) => CommandType.Touch,
        5 when token.SequenceEqual("stats"u8) => CommandType.Stats,
        6 when token.SequenceEqual("delete"u8) => CommandType.Delete,
        6 when token.SequenceEqual("append"u8) => CommandType.Append,
        7 when token.SequenceEqual("replace"u8) => CommandType.Replace,
        7 when token.SequenceEqual("prepend"u8) => CommandType.Prepend,
        7 when token.SequenceEqual("version"u8) => CommandType.Version,
        8 when token.SequenceEqual("shutdown"u8) => CommandType.Shutdown,
        9 when token.SequenceEqual("flush_all"u8) => CommandType.FlushAll,
        9 when token.SequenceEqual("verbosity"u8) => CommandType.Verbosity,
        14 when token.SequenceEqual("cache_memlimit"u8) => CommandType.CacheMemlimit,
        _ => CommandType.Unknown,
    };
}
