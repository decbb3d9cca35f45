using CacheOperator.Hashing;
using System.Buffers;
using System.Buffers.Text;

namespace CacheOperator.Storage;

// Writes: the set family, ms, delete/md, incr/decr/ma. Each new version of an item is appended to a
// segment (space reserved with no lock held), then linked under the partition lock after the
// conditions (add, replace, cas) are checked against the current item.
public sealed partial class CacheStore
{
    /// <summary>Stores a value given as one span.</summary>
    public StoreResult Store(ReadOnlySpan<byte> key, in StoreRequest request, ReadOnlySpan<byte> value, out ulong cas)
    {
        SpanValueSource source = new(value);
        return StoreCore(key, in request, ref source, out cas);
    }

    /// <summary>Stores a value that may span several network buffers.</summary>
    public StoreResult Store(ReadOnlySpan<byte> key, in StoreRequest request, in ReadOnlySequence<byte> value, out ulong cas)
    {
        SequenceValueSource source = new(in value);
        return StoreCore(key, in request, ref source, out cas);
    }

    public DeleteResult Delete(ReadOnlySpan<byte> key, in DeleteRequest request)
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
                return DeleteResult.NotFound;
            ulong location = partition.LocationAt(slot);
            Segment segment = SegmentOf(location);
            ref ItemHeader header = ref segment.HeaderAt(ItemLocation.Offset(location));
            if (request.CompareCas != 0 && request.CompareCas != header.Cas)
                return DeleteResult.Exists;

            if (request.Invalidate)
            {
                // Keep the value for readers willing to serve stale data; the next reader wins the recache.
                header.State = (byte)((header.State | ItemHeader.StaleBit) & ~ItemHeader.TokenSentBit);
                header.Cas = NextCas();
                if (request.InvalidateExptime is long exptime)
                    header.ExpiresAt = Expiry.ToAbsolute(exptime, now);
                NotifyStored(hash, location);
                return DeleteResult.Deleted;
            }

            Unlink(partition, slot, segment, header.TotalSize);
            NotifyDeleted(hash, key);
            return DeleteResult.Deleted;
        }
    }

    public ArithmeticResult Arithmetic(ReadOnlySpan<byte> key, in ArithmeticRequest request, out ArithmeticOutcome outcome)
    {
        ValidateKey(key);
        ulong hash = KeyHasher.Hash(key);
        IndexPartition partition = PartitionFor(hash);
        Span<byte> digits = stackalloc byte[20];
        while (true)
        {
            uint now = Clock.UnixSeconds;
            ApplyPendingFlush(now);
            int needed;
            ulong observed;
            lock (partition.Gate)
            {
                int slot = FindLive(partition, hash, key, now);
                if (slot < 0)
                {
                    if (!request.Vivify)
                    {
                        outcome = default;
                        return ArithmeticResult.NotFound;
                    }

                    needed = -1;
                    observed = 0;
                }
                else
                {
                    observed = partition.LocationAt(slot);
                    Segment segment = SegmentOf(observed);
                    int offset = ItemLocation.Offset(observed);
                    ref ItemHeader header = ref segment.HeaderAt(offset);
                    if (request.CompareCas != 0 && request.CompareCas != header.Cas)
                    {
                        outcome = default;
                        return ArithmeticResult.Exists;
                    }

                    Span<byte> value = ValueOf(segment, offset, ref header);
                    if (!TryParseCounter(value, out ulong current))
                    {
                        outcome = default;
                        return ArithmeticResult.NonNumeric;
                    }

                    ulong next = request.Increment ? unchecked(current + request.Delta)
                        : current > request.Delta ? current - request.Delta : 0;
                    Utf8Formatter.TryFormat(next, digits, out int length);
                    if (length <= value.Length)
                    {
                        // memcached rewrites in place when the number fits, padding with spaces.
                        digits[..length].CopyTo(value);
                        value[length..].Fill((byte)' ');
                        header.Cas = NextCas();
                        if (request.Touch)
                            header.ExpiresAt = Expiry.ToAbsolute(request.TouchExptime, now);
                        MarkAccessed(ref header, now);
                        NotifyStored(hash, observed);
                        outcome = new ArithmeticOutcome(next, header.Cas, Expiry.TimeToLive(header.ExpiresAt, now));
                        return ArithmeticResult.Ok;
                    }

                    needed = length;
                }
            }

            if (needed < 0)
            {
                Utf8Formatter.TryFormat(request.InitialValue, digits, out int initialLength);
                StoreRequest create = new(StoreMode.Add, 0, request.VivifyExptime);
                StoreResult created = Store(key, in create, digits[..initialLength], out ulong cas);
                if (created == StoreResult.NotStored)
                    continue;
                if (created != StoreResult.Stored)
                {
                    outcome = default;
                    return ArithmeticResult.NotStored;
                }

                long ttl = Expiry.TimeToLive(Expiry.ToAbsolute(request.VivifyExptime, now), now);
                outcome = new ArithmeticOutcome(request.InitialValue, cas, ttl);
                return ArithmeticResult.Ok;
            }

            if (TryGrowCounter(key, hash, partition, observed, needed, in request, digits, out outcome))
                return ArithmeticResult.Ok;
        }
    }

    private StoreResult StoreCore<TSource>(ReadOnlySpan<byte> key, in StoreRequest request, ref TSource value, out ulong cas)
        where TSource : IValueSource, allows ref struct
    {
        ValidateKey(key);
        cas = 0;
        ulong hash = KeyHasher.Hash(key);
        IndexPartition partition = PartitionFor(hash);
        uint now = Clock.UnixSeconds;
        ApplyPendingFlush(now);

        if (request.Mode is StoreMode.Append or StoreMode.Prepend)
            return Concatenate(key, hash, partition, in request, ref value, out cas);

        int size = ItemHeader.SizeOf(key.Length, value.Length);
        if (size > Options.MaxItemSize || !TryReserve(AdmissionQueue(hash), size, mayEvict: true, out Segment segment, out int offset))
        {
            // As memcached: a failed set must not leave the old value to be served as if it were current.
            if (request.Mode == StoreMode.Set)
                RemoveIfPresent(key, hash, partition, now);
            return size > Options.MaxItemSize ? StoreResult.TooLarge : StoreResult.OutOfMemory;
        }

        WriteItem(segment, offset, key, ref value, request.Flags, Expiry.ToAbsolute(request.Exptime, now), now);
        StoreResult result;
        lock (partition.Gate)
        {
            int slot = FindLive(partition, hash, key, now);
            result = Admit(partition, slot, in request, ref segment.HeaderAt(offset));
            if (result == StoreResult.Stored)
            {
                cas = segment.HeaderAt(offset).Cas;
                Link(partition, slot, hash, segment, offset, size);
            }
            else
            {
                WriteFiller(segment, offset, size);
            }
        }

        Interlocked.Decrement(ref segment.Pending);
        return result;
    }

    /// <summary>Checks a store's condition against the current item and stamps the new one (partition lock held).</summary>
    private StoreResult Admit(IndexPartition partition, int slot, in StoreRequest request, ref ItemHeader fresh)
    {
        byte carriedState = 0;
        if (slot < 0)
        {
            if (request.Mode is StoreMode.Replace)
                return StoreResult.NotStored;
            if (request.Mode is StoreMode.Cas || request.CompareCas != 0)
                return StoreResult.NotFound;
        }
        else
        {
            ulong location = partition.LocationAt(slot);
            ref ItemHeader current = ref SegmentOf(location).HeaderAt(ItemLocation.Offset(location));
            if (request.Mode is StoreMode.Add)
                return StoreResult.NotStored;
            if (request.KeepItemsNewerThanCas != 0 && current.Cas > request.KeepItemsNewerThanCas)
                return StoreResult.NotStored;
            if (request.Mode is StoreMode.Cas || request.CompareCas != 0)
            {
                if (request.CompareCas != current.Cas)
                {
                    if (!request.Invalidate || request.CompareCas > current.Cas)
                        return StoreResult.Exists;
                    // ms I with an older CAS: the write lands, but as a stale value that earns a recache.
                    carriedState = (byte)(ItemHeader.StaleBit | (current.State & ItemHeader.TokenSentBit));
                }
            }
        }

        fresh.State = carriedState;
        fresh.Cas = NextCas();
        return StoreResult.Stored;
    }

    private void RemoveIfPresent(ReadOnlySpan<byte> key, ulong hash, IndexPartition partition, uint now)
    {
        lock (partition.Gate)
        {
            int slot = FindLive(partition, hash, key, now);
            if (slot >= 0)
            {
                ulong location = partition.LocationAt(slot);
                Unlink(partition, slot, SegmentOf(location), SegmentOf(location).HeaderAt(ItemLocation.Offset(location)).TotalSize);
                NotifyDeleted(hash, key);
            }
        }
    }

    /// <summary>append/prepend: a new version holding old and new bytes, keeping flags and expiry.</summary>
    private StoreResult Concatenate<TSource>(ReadOnlySpan<byte> key, ulong hash, IndexPartition partition,
        in StoreRequest request, ref TSource value, out ulong cas)
        where TSource : IValueSource, allows ref struct
    {
        cas = 0;
        while (true)
        {
            uint now = Clock.UnixSeconds;
            ulong observed;
            int oldLength;
            SegmentQueue kind;
            lock (partition.Gate)
            {
                int slot = FindLive(partition, hash, key, now);
                if (slot < 0)
                {
                    if (!request.Vivify)
                        return StoreResult.NotStored;
                    goto vivify;
                }

                observed = partition.LocationAt(slot);
                ref ItemHeader current = ref SegmentOf(observed).HeaderAt(ItemLocation.Offset(observed));
                if (request.CompareCas != 0 && request.CompareCas != current.Cas)
                    return StoreResult.Exists;
                oldLength = current.ValueLength;
                kind = SegmentOf(observed).Kind;
            }

            int size = ItemHeader.SizeOf(key.Length, oldLength + value.Length);
            // memcached answers NOT_STORED (not "too large") when the joined value would not fit, keeping the item.
            if (size > Options.MaxItemSize)
                return StoreResult.NotStored;
            if (!TryReserve(kind, size, mayEvict: true, out Segment segment, out int offset))
                return StoreResult.OutOfMemory;

            bool linked = false;
            lock (partition.Gate)
            {
                int slot = FindLive(partition, hash, key, now);
                if (slot >= 0 && partition.LocationAt(slot) == observed)
                {
                    Segment oldSegment = SegmentOf(observed);
                    int oldOffset = ItemLocation.Offset(observed);
                    ref ItemHeader current = ref oldSegment.HeaderAt(oldOffset);
                    if (current.ValueLength == oldLength)
                    {
                        ref ItemHeader fresh = ref segment.HeaderAt(offset);
                        fresh = current;
                        fresh.ValueLength = oldLength + value.Length;
                        fresh.State = (byte)(current.State & (ItemHeader.FrequencyMask | ItemHeader.FetchedBit));
                        fresh.Cas = NextCas();
                        Span<byte> memory = segment.Memory.AsSpan(offset + ItemHeader.Size, key.Length + fresh.ValueLength);
                        key.CopyTo(memory);
                        Span<byte> newValue = memory[key.Length..];
                        ReadOnlySpan<byte> oldValue = ValueOf(oldSegment, oldOffset, ref current);
                        if (request.Mode == StoreMode.Append)
                        {
                            oldValue.CopyTo(newValue);
                            value.CopyTo(newValue[oldLength..]);
                        }
                        else
                        {
                            value.CopyTo(newValue);
                            oldValue.CopyTo(newValue[value.Length..]);
                        }

                        cas = fresh.Cas;
                        Link(partition, slot, hash, segment, offset, size);
                        linked = true;
                    }
                }

                if (!linked)
                    WriteFiller(segment, offset, size);
            }

            Interlocked.Decrement(ref segment.Pending);
            if (linked)
                return StoreResult.Stored;
            continue;

        vivify:
            StoreRequest add = new(StoreMode.Add, request.Flags, request.VivifyExptime);
            StoreResult created = StoreCore(key, in add, ref value, out cas);
            if (created != StoreResult.NotStored)
                return created;
        }
    }

    /// <summary>incr past a power of ten: the new number needs a longer item.</summary>
    private bool TryGrowCounter(ReadOnlySpan<byte> key, ulong hash, IndexPartition partition, ulong observed, int length,
        in ArithmeticRequest request, Span<byte> digits, out ArithmeticOutcome outcome)
    {
        outcome = default;
        int size = ItemHeader.SizeOf(key.Length, length);
        if (!TryReserve(SegmentOf(observed).Kind, size, mayEvict: true, out Segment segment, out int offset))
            return false;
        uint now = Clock.UnixSeconds;
        bool linked = false;
        lock (partition.Gate)
        {
            int slot = FindLive(partition, hash, key, now);
            if (slot >= 0 && partition.LocationAt(slot) == observed)
            {
                Segment oldSegment = SegmentOf(observed);
                int oldOffset = ItemLocation.Offset(observed);
                ref ItemHeader current = ref oldSegment.HeaderAt(oldOffset);
                if ((request.CompareCas == 0 || request.CompareCas == current.Cas)
                    && TryParseCounter(ValueOf(oldSegment, oldOffset, ref current), out ulong value))
                {
                    ulong next = request.Increment ? unchecked(value + request.Delta) : value > request.Delta ? value - request.Delta : 0;
                    Utf8Formatter.TryFormat(next, digits, out int written);
                    if (written == length)
                    {
                        ref ItemHeader fresh = ref segment.HeaderAt(offset);
                        fresh = current;
                        fresh.ValueLength = length;
                        fresh.State = (byte)(current.State & (ItemHeader.FrequencyMask | ItemHeader.FetchedBit));
                        fresh.Cas = NextCas();
                        if (request.Touch)
                            fresh.ExpiresAt = Expiry.ToAbsolute(request.TouchExptime, now);
                        key.CopyTo(segment.Memory.AsSpan(offset + ItemHeader.Size));
                        digits[..length].CopyTo(segment.Memory.AsSpan(offset + ItemHeader.Size + key.Length));
                        MarkAccessed(ref fresh, now);
                        Link(partition, slot, hash, segment, offset, size);
                        outcome = new ArithmeticOutcome(next, fresh.Cas, Expiry.TimeToLive(fresh.ExpiresAt, now));
                        linked = true;
                    }
                }
            }

            if (!linked)
                WriteFiller(segment, offset, size);
        }

        Interlocked.Decrement(ref segment.Pending);
        return linked;
    }

    /// <summary>memcached's reading of a counter: optional leading spaces, digits, then only spaces.</summary>
    internal static bool TryParseCounter(ReadOnlySpan<byte> value, out ulong number)
    {
        number = 0;
        int i = 0;
        while (i < value.Length && value[i] == (byte)' ')
            i++;
        int start = i;
        while (i < value.Length && (uint)(value[i] - '0') <= 9)
        {
            ulong digit = (ulong)(value[i] - '0');
            if (number > (ulong.MaxValue - digit) / 10)
                return false;
            number = number * 10 + digit;
            i++;
        }

        if (i == start)
            return false;
        for (; i < value.Length; i++)
        {
            if (value[i] is not ((byte)' ' or (byte)'\r' or (byte)'\n'))
                return false;
        }

        return true;
    }
}
