using System.Runtime.CompilerServices;

namespace CacheOperator.Storage;

/// <summary>
/// One lock's worth of the key index: open addressing with linear probing over two parallel arrays
/// (item location, hash tag), so the index is two large arrays rather than an object per key.
/// Every member except the constructor must be called with <see cref="Gate"/> held.
/// </summary>
internal sealed class IndexPartition
{
    private const int InitialCapacity = 1024;

    /// <summary>Item locations (<see cref="ItemLocation"/>); 0 marks an empty slot.</summary>
    private ulong[] _locations = new ulong[InitialCapacity];

    /// <summary>Low 32 bits of each key's hash: the home slot is derived from it, and it filters compares.</summary>
    private uint[] _tags = new uint[InitialCapacity];

    private int _mask = InitialCapacity - 1;

    private int _count;

    /// <summary>Guards this partition's slots, counters, and the items they point to.</summary>
    public Lock Gate { get; } = new();

    public long Items;
    public long Bytes;
    public long TotalItems;
    public long Evictions;
    public long EvictedUnfetched;
    public long Reclaimed;
    public long ExpiredUnfetched;

    public int Capacity => _locations.Length;

    public long MemoryBytes => (long)_locations.Length * (sizeof(ulong) + sizeof(uint));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong LocationAt(int slot) => _locations[slot];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetLocation(int slot, ulong location) => _locations[slot] = location;

    /// <summary>The slot holding this key, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong hash, ReadOnlySpan<byte> key, Segment[] segments)
    {
        uint tag = (uint)hash;
        int slot = (int)tag & _mask;
        while (true)
        {
            ulong location = _locations[slot];
            if (location == 0)
                return -1;
            if (_tags[slot] == tag && KeyEquals(location, key, segments))
                return slot;
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The slot pointing at exactly this location (used by eviction, which knows the item's place).</summary>
    public int FindLocation(ulong hash, ulong location)
    {
        int slot = (int)(uint)hash & _mask;
        while (true)
        {
            ulong current = _locations[slot];
            if (current == 0)
                return -1;
            if (current == location)
                return slot;
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Adds a key known to be absent.</summary>
    public void Insert(ulong hash, ulong location)
    {
        if ((_count + 1) * 4 > _locations.Length * 3)
            Grow();
        PlaceUnchecked((uint)hash, location);
        _count++;
    }

    /// <summary>Removes a slot by shifting later members of its probe run back, so no tombstones build up.</summary>
    public void RemoveAt(int slot)
    {
        int hole = slot;
        int next = (hole + 1) & _mask;
        while (_locations[next] != 0)
        {
            int home = (int)_tags[next] & _mask;
            // Move the entry into the hole unless its home lies cyclically in (hole, next].
            bool homeBetween = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeBetween)
            {
                _locations[hole] = _locations[next];
                _tags[hole] = _tags[next];
                hole = next;
            }

            next = (next + 1) & _mask;
        }

        _locations[hole] = 0;
        _tags[hole] = 0;
        _count--;
    }

    private void PlaceUnchecked(uint tag, ulong location)
    {
        int slot = (int)tag & _mask;
        while (_locations[slot] != 0)
            slot = (slot + 1) & _mask;
        _locations[slot] = location;
        _tags[slot] = tag;
    }

    private void Grow()
    {
        ulong[] oldLocations = _locations;
        uint[] oldTags = _tags;
        _locations = new ulong[oldLocations.Length * 2];
        _tags = new uint[oldLocations.Length * 2];
        _mask = _locations.Length - 1;
        for (int i = 0; i < oldLocations.Length; i++)
        {
            if (oldLocations[i] != 0)
                PlaceUnchecked(oldTags[i], oldLocations[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool KeyEquals(ulong location, ReadOnlySpan<byte> key, Segment[] segments)
    {
        Segment segment = segments[ItemLocation.SegmentId(location)];
        int offset = ItemLocation.Offset(location);
        ref ItemHeader header = ref segment.HeaderAt(offset);
        return header.KeyLength == key.Length
            && segment.Memory.AsSpan(offset + ItemHeader.Size, key.Length).SequenceEqual(key);
    }
}
