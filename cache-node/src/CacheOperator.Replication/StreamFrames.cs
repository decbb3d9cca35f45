using System.Buffers;
using System.Buffers.Binary;
using CacheOperator.Storage;

namespace CacheOperator.Replication;

/// <summary>
/// Encoding and decoding of bucket-stream frames. Items are [u64 sequence][i64 unix ms][u8 state][u32 flags]
/// [u32 absolute expiry][u8 key length][key][u32 value length][value]; snapshot items carry sequence 0.
/// </summary>
public static class StreamFrames
{
    public const int FormatVersion = 1;

    public const int HeaderSize = 5;

    /// <summary>Payload bytes of an item frame besides its key and value.</summary>
    public const int ItemOverhead = 8 + 8 + 1 + 4 + 4 + 1 + 4;

    /// <summary>Larger frames are rejected as corrupt: no item can be this big.</summary>
    public const int MaxPayload = 256 * 1024 * 1024;

    /// <summary>State bit: the item was invalidated (meta I) and is served stale.</summary>
    public const byte StaleState = 1;

    public static int ItemFrameSize(int keyLength, int valueLength) => HeaderSize + ItemOverhead + keyLength + valueLength;

    /// <summary>Writes an item frame into <paramref name="destination"/>, which must hold <see cref="ItemFrameSize"/> bytes.</summary>
    public static int WriteItem(Span<byte> destination, FrameType type, ulong sequence, long unixMs, in ItemView item)
    {
        int payload = ItemOverhead + item.Key.Length + item.Value.Length;
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], payload);
        Span<byte> p = destination[HeaderSize..];
        BinaryPrimitives.WriteUInt64LittleEndian(p, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(p[8..], unixMs);
        p[16] = (item.Lease & LeaseFlags.Stale) != 0 ? StaleState : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(p[17..], item.Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(p[21..], item.ExpiresAt);
        p[25] = (byte)item.Key.Length;
        item.Key.CopyTo(p[26..]);
        int at = 26 + item.Key.Length;
        BinaryPrimitives.WriteInt32LittleEndian(p[at..], item.Value.Length);
        item.Value.CopyTo(p[(at + 4)..]);
        return HeaderSize + payload;
    }

    public static int DeleteFrameSize(int keyLength) => HeaderSize + 8 + 8 + 1 + keyLength;

    public static int WriteDelete(Span<byte> destination, ulong sequence, long unixMs, ReadOnlySpan<byte> key)
    {
        int payload = 17 + key.Length;
        destination[0] = (byte)FrameType.Delete;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], payload);
        Span<byte> p = destination[HeaderSize..];
        BinaryPrimitives.WriteUInt64LittleEndian(p, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(p[8..], unixMs);
        p[16] = (byte)key.Length;
        key.CopyTo(p[17..]);
        return HeaderSize + payload;
    }

    /// <summary>Frames whose payload is a list of 64-bit numbers (Hello, SnapshotEnd, Flush, Heartbeat).</summary>
    public static int NumbersFrameSize(int count) => HeaderSize + 8 * count;

    public static int WriteNumbers(Span<byte> destination, FrameType type, ReadOnlySpan<long> numbers)
    {
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], 8 * numbers.Length);
        for (int i = 0; i < numbers.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(destination[(HeaderSize + 8 * i)..], numbers[i]);
        return HeaderSize + 8 * numbers.Length;
    }

    public static void WriteRestart(IBufferWriter<byte> output, string reason)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(reason);
        Span<byte> span = output.GetSpan(HeaderSize + text.Length);
        span[0] = (byte)FrameType.Restart;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], text.Length);
        text.CopyTo(span[HeaderSize..]);
        output.Advance(HeaderSize + text.Length);
    }

    /// <summary>Takes one whole frame from the buffer; false if more bytes are needed.</summary>
    public static bool TryReadFrame(ref SequenceReader<byte> reader, out FrameType type, out ReadOnlySequence<byte> payload)
    {
        type = default;
        payload = default;
        if (reader.Remaining < HeaderSize)
            return false;
        SequenceReader<byte> peek = reader;
        peek.TryRead(out byte rawType);
        peek.TryReadLittleEndian(out int length);
        if (rawType is < (byte)FrameType.Hello or > (byte)FrameType.Restart || length < 0 || length > MaxPayload)
            throw new InvalidDataException($"corrupt stream: frame type {rawType}, length {length}");
        if (peek.Remaining < length)
            return false;
        type = (FrameType)rawType;
        payload = peek.UnreadSequence.Slice(0, length);
        reader.Advance(HeaderSize + length);
        return true;
    }
}
