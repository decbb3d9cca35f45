using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using CacheOperator.Hashing;

namespace CacheOperator.Ring;

/// <summary>
/// Assigns each of a fixed number of buckets to a logical shard id. Immutable: a change produces a new table,
/// computed deterministically from the old one, so the operator and a test recompute the same result.
/// </summary>
/// <remarks>
/// Shards are kept in an order (creation order: an added shard is appended, a removed one taken out). The order
/// is part of the table because rebalancing breaks ties by it; the JSON document preserves it.
/// </remarks>
public sealed class BucketTable
{
    /// <summary>The bucket count used unless a pool says otherwise.</summary>
    public const int DefaultBucketCount = 16384;

    /// <summary>Largest bucket count accepted; shard indexes are stored as 16-bit values.</summary>
    public const int MaxBucketCount = 65536;

    /// <summary>Shard index of each bucket.</summary>
    private readonly ushort[] _assignment;

    /// <summary>Shard ids in table order.</summary>
    private readonly string[] _shards;

    /// <summary>Buckets owned by each shard, by shard index.</summary>
    private readonly int[] _counts;

    private BucketTable(string[] shards, ushort[] assignment)
    {
        _shards = shards;
        _assignment = assignment;
        _counts = new int[shards.Length];
        foreach (ushort shard in assignment)
            _counts[shard]++;
        Shards = new ReadOnlyCollection<string>(_shards);
    }

    /// <summary>Number of buckets keys hash to.</summary>
    public int BucketCount => _assignment.Length;

    /// <summary>Shard ids, in table order; a shard's position is its shard index.</summary>
    public IReadOnlyList<string> Shards { get; }

    /// <summary>
    /// A balanced table: shard i owns one contiguous range of buckets, sizes differing by at most one (the larger
    /// ranges come first).
    /// </summary>
    public static BucketTable Create(IReadOnlyList<string> shardIds, int bucketCount = DefaultBucketCount)
    {
        ArgumentNullException.ThrowIfNull(shardIds);
        string[] shards = ValidateShards(shardIds, bucketCount);
        var assignment = new ushort[bucketCount];
        int n = shards.Length;
        for (int shard = 0, start = 0; shard < n; shard++)
        {
            int size = bucketCount / n + (shard < bucketCount % n ? 1 : 0);
            assignment.AsSpan(start, size).Fill((ushort)shard);
            start += size;
        }

        return new BucketTable(shards, assignment);
    }

    /// <summary>A table from an explicit assignment (bucket → shard index), as read from a ring document.</summary>
    public static BucketTable FromAssignment(IReadOnlyList<string> shardIds, ReadOnlySpan<int> shardIndexOfBucket)
    {
        ArgumentNullException.ThrowIfNull(shardIds);
        string[] shards = ValidateShards(shardIds, shardIndexOfBucket.Length);
        var assignment = new ushort[shardIndexOfBucket.Length];
        for (int bucket = 0; bucket < assignment.Length; bucket++)
        {
            int shard = shardIndexOfBucket[bucket];
            if ((uint)shard >= (uint)shards.Length)
                throw new ArgumentOutOfRangeException(nameof(shardIndexOfBucket), $"bucket {bucket} names shard index {shard}");
            assignment[bucket] = (ushort)shard;
        }

        return new BucketTable(shards, assignment);
    }

    /// <summary>
    /// The bucket of a key: 14 (for 16384 buckets) bits taken from the middle of <see cref="KeyHasher.Hash"/>.
    /// </summary>
    /// <remarks>
    /// Storage indexes a node's keys by the top bits (partition) and the low 32 bits (slot, tag) of the same hash.
    /// A node owns a subset of buckets, so the bucket must be independent of those bits, or every key on a node
    /// would share a partition or crowd a few home slots. Bits 24..55, scaled by multiply-shift, are.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BucketOf(ReadOnlySpan<byte> key, int bucketCount) => BucketOfHash(KeyHasher.Hash(key), bucketCount);

    /// <summary>The bucket of an already computed <see cref="KeyHasher.Hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BucketOfHash(ulong hash, int bucketCount) => (int)(((ulong)(uint)(hash >> 24) * (uint)bucketCount) >> 32);

    /// <summary>The bucket of a key in this table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BucketOf(ReadOnlySpan<byte> key) => BucketOf(key, _assignment.Length);

    /// <summary>Shard index owning a bucket.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ShardIndexOf(int bucket) => _assignment[bucket];

    /// <summary>Shard index owning a key: a hash and an array index, no allocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ShardIndexOfKey(ReadOnlySpan<byte> key) => _assignment[BucketOf(key, _assignment.Length)];

    /// <summary>Shard id owning a bucket.</summary>
    public string ShardOf(int bucket) => _shards[_assignment[bucket]];

    /// <summary>Index of a shard id, or -1.</summary>
    public int IndexOfShard(string shardId) => Array.IndexOf(_shards, shardId);

    /// <summary>Buckets owned by the shard at an index.</summary>
    public int BucketCountOf(int shardIndex) => _counts[shardIndex];

    /// <summary>The buckets owned by a shard, ascending.</summary>
    public int[] BucketsOf(string shardId)
    {
        int index = IndexOfShard(shardId);
        if (index < 0)
            throw new ArgumentException($"unknown shard '{shardId}'", nameof(shardId));
        var buckets = new int[_counts[index]];
        for (int bucket = 0, n = 0; bucket < _assignment.Length; bucket++)
        {
            if (_assignment[bucket] == index)
                buckets[n++] = bucket;
        }

        return buckets;
    }

    /// <summary>Copies the assignment (bucket → shard index) out.</summary>
    public int[] ToAssignment()
    {
        var copy = new int[_assignment.Length];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = _assignment[i];
        return copy;
    }

    /// <summary>Adds a shard at the end of the order, taking about B/(N+1) buckets evenly from the others.</summary>
    public BucketTable WithShardAdded(string shardId)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardId);
        if (IndexOfShard(shardId) >= 0)
            throw new ArgumentException($"shard '{shardId}' is already in the table", nameof(shardId));
        return Rebalance([.. _shards, shardId]);
    }

    /// <summary>Removes a shard, spreading its buckets evenly over the others; nothing else moves.</summary>
    public BucketTable WithShardRemoved(string shardId)
    {
        int index = IndexOfShard(shardId);
        if (index < 0)
            throw new ArgumentException($"unknown shard '{shardId}'", nameof(shardId));
        if (_shards.Length == 1)
            throw new InvalidOperationException("cannot remove the last shard");
        return Rebalance([.. _shards.Where((_, i) => i != index)]);
    }

    /// <summary>
    /// The balanced table over a new shard list that moves the fewest buckets from this one.
    /// </summary>
    /// <remarks>
    /// Targets: every shard gets ⌊B/N⌋ buckets, and the B mod N remainder goes one each to the shards that own the
    /// most buckets now (ties: earlier in the new order), so no shard is asked to give a bucket it would then need
    /// back. A shard over its target gives up its highest-numbered buckets; the freed buckets, ascending, are dealt
    /// to the shards under target in the new order, each taking a contiguous run of them. Shards that left give
    /// up everything. Every choice depends only on (this table, new list), so the result is reproducible.
    /// </remarks>
    public BucketTable Rebalance(IReadOnlyList<string> newShardIds)
    {
        ArgumentNullException.ThrowIfNull(newShardIds);
        string[] shards = ValidateShards(newShardIds, _assignment.Length);
        int n = shards.Length;
        int bucketCount = _assignment.Length;

        // Map old shard index -> new shard index (-1 when the shard leaves).
        var oldToNew = new int[_shards.Length];
        for (int i = 0; i < _shards.Length; i++)
            oldToNew[i] = Array.IndexOf(shards, _shards[i]);

        var current = new int[n];
        for (int i = 0; i < _shards.Length; i++)
        {
            if (oldToNew[i] >= 0)
                current[oldToNew[i]] = _counts[i];
        }

        var target = new int[n];
        Array.Fill(target, bucketCount / n);
        int[] byCount = [.. Enumerable.Range(0, n).OrderByDescending(i => current[i]).ThenBy(i => i)];
        for (int k = 0; k < bucketCount % n; k++)
            target[byCount[k]]++;

        // Walk buckets from the highest down so that donors give their highest-numbered buckets.
        var assignment = new ushort[bucketCount];
        var kept = new int[n];
        var freed = new List<int>();
        var surplus = new int[n];
        for (int i = 0; i < n; i++)
            surplus[i] = Math.Max(0, current[i] - target[i]);
        for (int bucket = bucketCount - 1; bucket >= 0; bucket--)
        {
            int owner = oldToNew[_assignment[bucket]];
            if (owner >= 0 && surplus[owner] == 0)
            {
                assignment[bucket] = (ushort)owner;
                kept[owner]++;
            }
            else
            {
                if (owner >= 0)
                    surplus[owner]--;
                freed.Add(bucket);
            }
        }

        freed.Reverse();
        int next = 0;
        for (int shard = 0; shard < n; shard++)
        {
            for (int need = target[shard] - kept[shard]; need > 0; need--)
                assignment[freed[next++]] = (ushort)shard;
        }

        return new BucketTable(shards, assignment);
    }

    /// <summary>The buckets whose shard differs between two tables of the same size, grouped into transfers.</summary>
    public static BucketTableDiff Diff(BucketTable from, BucketTable to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.BucketCount != to.BucketCount)
            throw new ArgumentException("tables have different bucket counts", nameof(to));

        var moves = new List<BucketMove>();
        for (int bucket = 0; bucket < from.BucketCount; bucket++)
        {
            string before = from.ShardOf(bucket);
            string after = to.ShardOf(bucket);
            if (!string.Equals(before, after, StringComparison.Ordinal))
                moves.Add(new BucketMove(bucket, before, after));
        }

        return new BucketTableDiff(moves);
    }

    /// <summary>True when both tables list the same shards in the same order and assign every bucket alike.</summary>
    public bool ContentEquals(BucketTable? other) =>
        other is not null
        && _shards.AsSpan().SequenceEqual(other._shards)
        && _assignment.AsSpan().SequenceEqual(other._assignment);

    private static string[] ValidateShards(IReadOnlyList<string> shardIds, int bucketCount)
    {
        if (bucketCount < 1 || bucketCount > MaxBucketCount)
            throw new ArgumentOutOfRangeException(nameof(bucketCount), $"bucket count must be between 1 and {MaxBucketCount}");
        if (shardIds.Count == 0)
            throw new ArgumentException("a table needs at least one shard", nameof(shardIds));
        if (shardIds.Count > bucketCount)
            throw new ArgumentException($"{shardIds.Count} shards cannot share {bucketCount} buckets", nameof(shardIds));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in shardIds)
        {
            if (string.IsNullOrEmpty(id))
                throw new ArgumentException("shard ids must not be empty", nameof(shardIds));
            if (!seen.Add(id))
                throw new ArgumentException($"shard '{id}' is listed twice", nameof(shardIds));
        }

        return [.. shardIds];
    }
}
