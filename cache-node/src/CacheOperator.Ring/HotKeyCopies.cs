using System.Buffers;
using System.Buffers.Text;

namespace CacheOperator.Ring;

/// <summary>
/// Chooses the copies of a hot key: keys <c>key#s</c> that land on distinct shards of the key's pool.
/// </summary>
/// <remarks>
/// Suffixes are tried in order s = 1, 2, 3, …; a suffix is kept when its copy key's shard differs from the shards
/// of every copy kept before. It stops when it has min(C, shard count) copies. The choice depends only on the key,
/// C and the table, so every router picks the same copies. Each copy is a real key stored on the shard that owns
/// its bucket, so warm-up streams and rebalancing treat it like any other key. The search is capped at
/// 32 × shard count + 64 attempts: with shards balanced to one bucket, failing to reach even the last of N distinct
/// shards within 32·N tries has probability about N·e^-32, so in practice the cap is never reached; if it were,
/// fewer copies are returned and the router uses those.
/// </remarks>
public static class HotKeyCopies
{
    /// <summary>Most copies a router may ask for.</summary>
    public const int MaxCopies = 64;

    /// <summary>Longest suffix, <c>#</c> plus up to 10 digits.</summary>
    public const int MaxSuffixLength = 11;

    /// <summary>Keys up to this length build their copy keys on the stack.</summary>
    private const int MaxStackKeyLength = 256;

    /// <summary>
    /// Fills <paramref name="suffixes"/> with the suffix numbers of the copies and returns how many were found:
    /// min(<paramref name="copies"/>, pool shard count) unless the search cap was reached. Allocation-free.
    /// </summary>
    public static int FindSuffixes(BucketTable table, ReadOnlySpan<byte> key, int copies, Span<int> suffixes)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(copies, MaxCopies);
        int wanted = Math.Min(copies, table.Shards.Count);
        if (suffixes.Length < wanted)
            throw new ArgumentException($"room for {wanted} suffixes needed", nameof(suffixes));

        // Memcached keys are at most 250 bytes; a longer key (which no node would store) is hashed from the pool.
        byte[]? rented = key.Length > MaxStackKeyLength ? ArrayPool<byte>.Shared.Rent(key.Length + MaxSuffixLength) : null;
        Span<byte> copyKey = rented ?? stackalloc byte[MaxStackKeyLength + MaxSuffixLength];
        Span<int> shardsUsed = stackalloc int[MaxCopies];
        int found = 0;
        int maxAttempts = 32 * table.Shards.Count + 64;
        for (int suffix = 1; suffix <= maxAttempts && found < wanted; suffix++)
        {
            int length = FormatCopyKey(key, suffix, copyKey);
            int shard = table.ShardIndexOfKey(copyKey[..length]);
            if (shardsUsed[..found].Contains(shard))
                continue;
            shardsUsed[found] = shard;
            suffixes[found++] = suffix;
        }

        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
        return found;
    }

    /// <summary>Writes <c>key#suffix</c> into <paramref name="destination"/> and returns its length.</summary>
    public static int FormatCopyKey(ReadOnlySpan<byte> key, int suffix, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(suffix);
        if (destination.Length < key.Length + 1)
            throw new ArgumentException("destination too small", nameof(destination));
        key.CopyTo(destination);
        destination[key.Length] = (byte)'#';
        if (!Utf8Formatter.TryFormat(suffix, destination[(key.Length + 1)..], out int digits))
            throw new ArgumentException("destination too small", nameof(destination));
        return key.Length + 1 + digits;
    }
}
