namespace CacheOperator.Router.Routing;

/// <summary>A key found hot, with the copy suffixes chosen for it on one ring version.</summary>
internal sealed class HotKey
{
    public HotKey(byte[] key, ulong hash)
    {
        Key = key;
        Hash = hash;
    }

    public byte[] Key { get; }

    public ulong Hash { get; }

    /// <summary>Reads seen in the current one-second window; a key that cools below half the threshold leaves.</summary>
    public int WindowReads;

    /// <summary>Copy suffixes (<c>key#s</c>) and the ring version they were computed for.</summary>
    public (long Version, int[] Suffixes) Copies { get; set; } = (0, []);
}
