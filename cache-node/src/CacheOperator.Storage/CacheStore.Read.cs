using CacheOperator.Hashing;
namespace CacheOperator.Storage;

// Reads: get, gets, gat, gats, touch, and meta mg with its lease flags.
public sealed partial class CacheStore
{
    /// <summary>Reads a live item; the reader sees it under the partition lock. Returns false on miss.</summary>
    public bool TryGet<TReader>(ReadOnlySpan<byte> key, in GetOptions options, ref TReader reader)
        where TReader : IItemReader, allows ref struct
    {
        ValidateKey(key);
        ulong hash = KeyHasher.Hash(key);
        IndexPartition partition = PartitionFor(hash);
        uint now = Clock.UnixSeconds;
        ApplyPendingFlush(now);

        lock (partition.Gate)
        {
            int slot = FindLive(partition, hash, key, now);
            if (slot >= 0)
            {
                ReadHit(hash, partition.LocationAt(slot), in options, ref reader, now, LeaseFlags.None);
                return true;
            }
        }

        return options.Vivify && Vivify(key, hash, partition, in options, ref reader, now);
    }

    /// <summary>Sets a new expiry; false on miss.</summary>
    public bool Touch(ReadOnlySpan<byte> key, long exptime)
    {
        ValidateKey(key);
        ulong hash = KeyHasher.Hash(key);
        IndexPartition partition = PartitionFor(hash);
        uint now = Clock.UnixSeconds;
        ApplyPendingFlush(now);
        lock (partition.Gate)
        {
            int slot = FindLive(partition, hash, key, now);
            if (slot < 0)
                return false;
            ulong location = partition.LocationAt(slot);
            ref ItemHeader header = ref SegmentOf(location).HeaderAt(ItemLocation.Offset(location));
            header.ExpiresAt = Expiry.ToAbsolute(exptime, now);
            MarkAccessed(ref header, now);
            NotifyStored(hash, location);
            return true;
        }
    }

    private void ReadHit<TReader>(ulong hash, ulong location, in GetOptions options, ref TReader reader, uint now, LeaseFlags lease)
        where TReader : IItemReader, allows ref struct
    {
        Segment segment = SegmentOf(location);
        int offset = ItemLocation.Offset(location);
        ref ItemHeader header = ref segment.HeaderAt(offset);

        bool tokenSent = (header.State & ItemHeader.TokenSentBit) != 0;
        bool win = false;
        if (tokenSent)
            lease |= LeaseFlags.AlreadyWon;
        if ((header.State & ItemHeader.StaleBit) != 0)
        {
            lease |= LeaseFlags.Stale;
            win = !tokenSent;
        }

        if (options.RecacheBelowSeconds is long below && header.ExpiresAt != 0 && !tokenSent
            && (long)header.ExpiresAt - now < below)
        {
            win = true;
        }

        if (win)
        {
            lease |= LeaseFlags.Won;
            header.State |= ItemHeader.TokenSentBit;
        }

        if (options.Touch)
            header.ExpiresAt = Expiry.ToAbsolute(options.TouchExptime, now);

        ItemView view = ViewOf(segment, offset, now, lease);
        reader.Read(in view);

        if (!options.NoBump)
            MarkAccessed(ref header, now);
        if (options.Touch)
            NotifyStored(hash, segment, offset);
    }

    private static void MarkAccessed(ref ItemHeader header, uint now)
    {
        int frequency = header.State & ItemHeader.FrequencyMask;
        byte state = (byte)(header.State | ItemHeader.FetchedBit);
        if (frequency < ItemHeader.FrequencyMask)
            state = (byte)((state & ~ItemHeader.FrequencyMask) | (frequency + 1));
        header.State = state;
        header.LastAccess = now;
    }

    /// <summary>mg N on a miss: store an empty item and hand this client the win token.</summary>
    private bool Vivify<TReader>(ReadOnlySpan<byte> key, ulong hash, IndexPartition partition, in GetOptions options,
        ref TReader reader, uint now)
        where TReader : IItemReader, allows ref struct
    {
        int size = ItemHeader.SizeOf(key.Length, 0);
        if (!TryReserve(AdmissionQueue(hash), size, mayEvict: true, out Segment segment, out int offset))
            return false;
        SpanValueSource empty = new([]);
        WriteItem(segment, offset, key, ref empty, 0, Expiry.ToAbsolute(options.VivifyExptime, now), now);
        try
        {
            lock (partition.Gate)
            {
                int slot = FindLive(partition, hash, key, now);
                if (slot >= 0)
                {
                    // Another client stored or vivified it first: an ordinary hit.
                    WriteFiller(segment, offset, size);
                    ReadHit(hash, partition.LocationAt(slot), in options, ref reader, now, LeaseFlags.None);
                    return true;
                }

                ref ItemHeader header = ref segment.HeaderAt(offset);
                header.Cas = NextCas();
                header.State = ItemHeader.TokenSentBit;
                Link(partition, -1, hash, segment, offset, size);
                ItemView view = new(key, [], 0, header.Cas, header.ExpiresAt, now, now, false, LeaseFlags.Won);
                reader.Read(in view);
                return true;
            }
        }
        finally
        {
            Interlocked.Decrement(ref segment.Pending);
        }
    }
}
