namespace CacheOperator.LoadGen;

/// <summary>One load generator run, as given on the command line.</summary>
internal sealed record LoadGenOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 11211;
    public int Connections { get; init; } = 4;
    public int Threads { get; init; } = 2;
    public int Pipeline { get; init; } = 1;
    public double GetRatio { get; init; } = 0.9;
    public int Keys { get; init; } = 100_000;
    public int KeySize { get; init; } = 32;
    public int ValueSize { get; init; } = 100;

    /// <summary>When above <see cref="ValueSize"/>, each set's value length is uniform in [ValueSize, ValueSizeMax].</summary>
    public int ValueSizeMax { get; init; }

    /// <summary>The longest value a set may carry.</summary>
    public int LargestValue => Math.Max(ValueSize, ValueSizeMax);
    public double ZipfSkew { get; init; }
    public bool Prefill { get; init; }
    public double DurationSeconds { get; init; } = 5;
    public double WarmupSeconds { get; init; } = 1;
    public bool Json { get; init; }
    public bool Verify { get; init; }
    public ulong Seed { get; init; } = 42;
    public string KeyPrefix { get; init; } = "key:";
    public int TimeoutMilliseconds { get; init; } = 5000;
    public string? Label { get; init; }

    /// <summary>Connections share threads; never more threads than connections.</summary>
    public int EffectiveThreads => Math.Clamp(Threads, 1, Connections);

    /// <summary>Throws with a readable message when the options make no sense together.</summary>
    public void Validate()
    {
        if (Connections < 1 || Connections > 10_000)
            throw new ArgumentException("connections must be between 1 and 10000");
        if (Pipeline < 1 || Pipeline > 1024)
            throw new ArgumentException("pipeline depth must be between 1 and 1024");
        if (GetRatio < 0 || GetRatio > 1)
            throw new ArgumentException("get ratio must be between 0 and 1");
        if (Keys < 1)
            throw new ArgumentException("key count must be positive");
        if (ValueSize < 1 || ValueSize > 64 * 1024 * 1024)
            throw new ArgumentException("value size must be between 1 byte and 64 MiB");
        if (ValueSizeMax != 0 && (ValueSizeMax < ValueSize || ValueSizeMax > 64 * 1024 * 1024))
            throw new ArgumentException("value size max must be at least the value size and at most 64 MiB");
        if (Verify && ValueSizeMax > ValueSize)
            throw new ArgumentException("verify mode checks one value length: it cannot be combined with a value size range");
        if (ZipfSkew < 0)
            throw new ArgumentException("zipf skew must be 0 (uniform) or positive");
        if (DurationSeconds < 0 || DurationSeconds > 3600 || WarmupSeconds < 0 || WarmupSeconds > 600)
            throw new ArgumentException("duration must be within 0..3600 s and warm-up within 0..600 s");
        if (Verify && Keys < Connections)
            throw new ArgumentException("verify mode gives every connection its own keys: need at least one key per connection");
        if (KeyPrefix.Any(c => c <= ' ' || c > '~'))
            throw new ArgumentException("key prefix must be printable ASCII without spaces");
    }
}
