namespace CacheOperator.Ring;

/// <summary>What changes between two bucket tables: every moved bucket, and the same grouped by (from, to).</summary>
public sealed class BucketTableDiff
{
    internal BucketTableDiff(List<BucketMove> moves)
    {
        Moves = moves.AsReadOnly();
        Transfers = moves
            .GroupBy(m => (m.FromShard, m.ToShard))
            .Select(g => new ShardTransfer(g.Key.FromShard, g.Key.ToShard, g.Select(m => m.Bucket).ToArray()))
            .OrderBy(t => t.Buckets[0])
            .ToList()
            .AsReadOnly();
    }

    /// <summary>Every bucket whose owner changes, ascending by bucket.</summary>
    public IReadOnlyList<BucketMove> Moves { get; }

    /// <summary>Moved buckets grouped by source and target shard, ordered by their first bucket.</summary>
    public IReadOnlyList<ShardTransfer> Transfers { get; }
}
