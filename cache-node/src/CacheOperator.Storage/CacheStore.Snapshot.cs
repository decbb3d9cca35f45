using System.Buffers;
using CacheOperator.Hashing;

namespace CacheOperator.Storage;

// Snapshots and bucket drops: the store-side half of warm-up and replication streams.
public sealed partial class CacheStore
{
    internal int PartitionCount => _partitions.Length;

    /// <summary>Walks the live items whose key hash is selected. Subscribe the stream's observer first.</summary>
    public SnapshotCursor OpenSnapshot(Func<ulong, bool> selects)
    {
        ArgumentNullException.ThrowIfNull(selects);
        return new SnapshotCursor(this, selects);
    }

    /// <summary>Removes every item whose key hash is selected (the old owner freeing buckets that moved).</summary>
    public long DropWhere(Func<ulong, bool> selects)
    {
        ArgumentNullException.ThrowIfNull(selects);
        long dropped = 0;
        foreach (IndexPartition partition in _partitions)
        {
            lock (partition.Gate)
            {
                for (int slot = 0; slot < partition.Capacity;)
                {
                    ulong location = partition.LocationAt(slot);
                    if (location != 0)
                    {
                        Segment segment = SegmentOf(location);
                        int offset = ItemLocation.Offset(location);
                        ref ItemHeader header = ref segment.HeaderAt(offset);
                        if (selects(KeyHasher.Hash(KeyOf(segment, offset, ref header))))
                        {
                            Unlink(partition, slot, segment, header.TotalSize);
                            dropped++;
                            continue;
                        }
                    }

                    slot++;
                }
            }
        }

        return dropped;
    }

    /// <summary>Copies the selected keys of one partition under its lock; returns how many.</summary>
    internal int CaptureKeys(int partitionIndex, Func<ulong, bool> selects, ref byte[] keys, ref int[] ends)
    {
        IndexPartition partition = _partitions[partitionIndex];
        uint now = Clock.UnixSeconds;
        int count = 0, used = 0;
        lock (partition.Gate)
        {
            for (int slot = 0; slot < partition.Capacity; slot++)
            {
                ulong location = partition.LocationAt(slot);
                if (location == 0)
                    continue;
                Segment segment = SegmentOf(location);
                int offset = ItemLocation.Offset(location);
                ref ItemHeader header = ref segment.HeaderAt(offset);
                if (IsDead(ref header, now))
                    continue;
                ReadOnlySpan<byte> key = KeyOf(segment, offset, ref header);
                if (!selects(KeyHasher.Hash(key)))
                    continue;
                if (used + key.Length > keys.Length)
                    Grow(ref keys, used + key.Length);
                if (count == ends.Length)
                    Grow(ref ends, count + 1);
                key.CopyTo(keys.AsSpan(used));
                used += key.Length;
                ends[count++] = used;
            }
        }

        return count;
    }

    /// <summary>Reads one key's current item for a snapshot; false if it is gone.</summary>
    internal bool ReadForSnapshot<TReader>(ReadOnlySpan<byte> key, ulong hash, ref TReader reader)
        where TReader : ISnapshotReader, allows ref struct
    {
        IndexPartition partition = PartitionFor(hash);
        uint now = Clock.UnixSeconds;
        lock (partition.Gate)
        {
            int slot = FindLive(partition, hash, key, now);
            if (slot < 0)
                return false;
            ulong location = partition.LocationAt(slot);
            Segment segment = SegmentOf(location);
            int offset = ItemLocation.Offset(location);
            ref ItemHeader header = ref segment.HeaderAt(offset);
            ItemView view = ViewOf(segment, offset, now, StalenessOf(ref header));
            reader.Read(hash, in view);
            return true;
        }
    }

    private static void Grow<T>(ref T[] array, int atLeast)
    {
        T[] larger = ArrayPool<T>.Shared.Rent(Math.Max(atLeast, array.Length * 2));
        array.AsSpan().CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        array = larger;
    }
}
