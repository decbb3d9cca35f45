namespace CacheOperator.Server.Session;

/// <summary>What a meta command can report about the item it touched, for its return flags.</summary>
internal struct MetaFacts
{
    /// <summary>True when f, h, l and s can be echoed (mg); k and O are always echoed.</summary>
    public bool HasItem { get; set; }

    /// <summary>True when c can be echoed (mg, ms, ma).</summary>
    public bool HasCas { get; set; }

    /// <summary>True when t can be echoed (mg, ma).</summary>
    public bool HasTimeToLive { get; set; }

    public ulong Cas { get; set; }

    public uint Flags { get; set; }

    public long TimeToLive { get; set; }

    public int Size { get; set; }

    public bool FetchedBefore { get; set; }

    public long SecondsSinceAccess { get; set; }
}
