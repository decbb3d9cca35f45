using System.Runtime.CompilerServices;

namespace CacheOperator.Storage;

// Mutation observers: how replication and warm-up streams see every change to their buckets.
public sealed partial class CacheStore
{
    /// <summary>Current observers, replaced whole on change so the hot path reads one field and no lock.</summary>
    private IMutationObserver[] _observers = [];

    private readonly Lock _observersLock = new();

    /// <summary>Starts delivering mutations to an observer. Mutations already applied are not replayed.</summary>
    public void Subscribe(IMutationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_observersLock)
            Volatile.Write(ref _observers, [.. _observers, observer]);
    }

    public void Unsubscribe(IMutationObserver observer)
    {
        lock (_observersLock)
            Volatile.Write(ref _observers, _observers.Where(o => !ReferenceEquals(o, observer)).ToArray());
    }

    /// <summary>Reports an item's new state (partition lock held).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NotifyStored(ulong hash, Segment segment, int offset)
    {
        IMutationObserver[] observers = Volatile.Read(ref _observers);
        if (observers.Length != 0)
            NotifyStoredSlow(observers, hash, segment, offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NotifyStoredSlow(IMutationObserver[] observers, ulong hash, Segment segment, int offset)
    {
        ref ItemHeader header = ref segment.HeaderAt(offset);
        ItemView view = ViewOf(segment, offset, Clock.UnixSeconds, StalenessOf(ref header));
        foreach (IMutationObserver observer in observers)
        {
            if (observer.Selects(hash))
                observer.OnStored(hash, in view);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NotifyStored(ulong hash, ulong location) => NotifyStored(hash, SegmentOf(location), ItemLocation.Offset(location));

    /// <summary>Reports a client's delete (partition lock held).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NotifyDeleted(ulong hash, ReadOnlySpan<byte> key)
    {
        IMutationObserver[] observers = Volatile.Read(ref _observers);
        if (observers.Length == 0)
            return;
        foreach (IMutationObserver observer in observers)
        {
            if (observer.Selects(hash))
                observer.OnDeleted(hash, key);
        }
    }

    private void NotifyFlushed()
    {
        foreach (IMutationObserver observer in Volatile.Read(ref _observers))
            observer.OnFlushed();
    }
}
