using System.Collections;
using System.Globalization;
using System.Text;
using CacheOperator.Ring;

namespace CacheOperator.Replication;

/// <summary>
/// The buckets a stream carries, out of a ring's bucket count. Written as ranges ("0-4095,8000") on the
/// wire and in the admin API.
/// </summary>
public sealed class BucketSet
{
    private readonly BitArray _members;

    private BucketSet(int bucketCount, BitArray members)
    {
        BucketCount = bucketCount;
        _members = members;
        Count = members.Cast<bool>().Count(m => m);
    }

    public int BucketCount { get; }

    /// <summary>Buckets in the set.</summary>
    public int Count { get; }

    /// <summary>Every bucket: what a replica of a whole shard (or a test) streams.</summary>
    public static BucketSet All(int bucketCount = BucketTable.DefaultBucketCount)
        => new(bucketCount, new BitArray(ValidateCount(bucketCount), true));

    public static BucketSet Of(int bucketCount, IEnumerable<int> buckets)
    {
        BitArray members = new(ValidateCount(bucketCount));
        foreach (int bucket in buckets)
        {
            if ((uint)bucket >= (uint)bucketCount)
                throw new FormatException($"bucket {bucket} is outside 0..{bucketCount - 1}");
            members[bucket] = true;
        }

        return new BucketSet(bucketCount, members);
    }

    /// <summary>Parses "a-b,c,..." (inclusive ranges); throws <see cref="FormatException"/> with the offending part.</summary>
    public static BucketSet Parse(string ranges, int bucketCount)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        List<int> buckets = [];
        foreach (string part in ranges.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] bounds = part.Split('-');
            if (bounds.Length > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first)
            {
                throw new FormatException($"'{part}' is not a bucket or an ascending range of buckets");
            }

            for (int bucket = first; bucket <= last; bucket++)
                buckets.Add(bucket);
        }

        if (buckets.Count == 0)
            throw new FormatException("the bucket set is empty");
        return Of(bucketCount, buckets);
    }

    /// <summary>Whether the key with this hash belongs to one of the set's buckets.</summary>
    public bool Selects(ulong keyHash) => _members[BucketTable.BucketOfHash(keyHash, BucketCount)];

    public bool Contains(int bucket) => _members[bucket];

    public override string ToString()
    {
        StringBuilder text = new();
        for (int bucket = 0; bucket < BucketCount; bucket++)
        {
            if (!_members[bucket])
                continue;
            int last = bucket;
            while (last + 1 < BucketCount && _members[last + 1])
                last++;
            if (text.Length > 0)
                text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"{bucket}");
            if (last > bucket)
                text.Append(CultureInfo.InvariantCulture, $"-{last}");
            bucket = last;
        }

        return text.ToString();
    }

    private static int ValidateCount(int bucketCount)
        => bucketCount is >= 1 and <= BucketTable.MaxBucketCount
            ? bucketCount
            : throw new FormatException($"bucket count {bucketCount} is outside 1..{BucketTable.MaxBucketCount}");
}
