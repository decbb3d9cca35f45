using System.Runtime.CompilerServices;

namespace CacheOperator.Storage;

/// <summary>Which FIFO a segment belongs to.</summary>
internal enum SegmentQueue : byte
{
    Free,
    /// <summary>Being appended to.</summary>
    Open,
    /// <summary>Sealed, holding new items (S3-FIFO's small queue).</summary>
    Probation,
    /// <summary>Sealed, holding items read at least once (S3-FIFO's main queue).</summary>
    Main,
}

/// <summary>
/// A block of item memory, appended to by many writers at once and reclaimed whole. Allocated once and
/// reused for the life of the store, so cached data never becomes garbage for the GC to trace.
/// </summary>
internal sealed class Segment
{
    public Segment(int id, int size)
    {
        Id = id;
        Memory = GC.AllocateUninitializedArray<byte>(size, pinned: true);
    }

    /// <summary>Index in the store's segment table; never 0, so a location of 0 means empty.</summary>
    public int Id { get; }

    /// <summary>The items, packed from offset 0.</summary>
    public byte[] Memory { get; }

    /// <summary>Next free byte; may overshoot the size when a reservation fails (see <see cref="End"/>).</summary>
    public int Cursor;

    /// <summary>Where the last complete reservation ends; set when the segment is sealed.</summary>
    public int End;

    /// <summary>Writers that reserved space here and have not yet linked (or abandoned) their item.</summary>
    public int Pending;

    /// <summary>Bytes of items the index points to.</summary>
    public long LiveBytes;

    /// <summary>Whether items in it are new (probation) or proven (main); where a sealed segment goes.</summary>
    public SegmentQueue Kind;

    /// <summary>Current queue.</summary>
    public SegmentQueue Queue;

    /// <summary>Neighbours in the queue.</summary>
    public Segment? Next;

    public Segment? Previous;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref ItemHeader HeaderAt(int offset) => ref Unsafe.As<byte, ItemHeader>(ref Memory[offset]);

    public void Reset(SegmentQueue kind)
    {
        Cursor = 0;
        End = 0;
        LiveBytes = 0;
        Kind = kind;
        Queue = SegmentQueue.Open;
        Next = null;
        Previous = null;
    }
}
