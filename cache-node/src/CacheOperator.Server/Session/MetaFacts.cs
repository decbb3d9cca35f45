namespace CacheOperator.Server.Session;

/// <summary>What a meta command can report about the item it touched, for its return flags.</summary>
internal struct MetaFacts
{
    /// <summary>True when the item's own facts (c, f, h, l, s, t) are known; otherwise only k and O are echoed.</summary>
    public bool HasItem { get; set; }

    public ulong Cas { get; set; }

    public uint Flags { get; set; }

    public long TimeToLive { get; set; }

    public int Size { get; set; }

    public bool FetchedBefore { get; set; }

    public long SecondsSinceAccess { get; set; }
}
