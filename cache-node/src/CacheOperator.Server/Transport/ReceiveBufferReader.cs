using System.Buffers;
using System.IO.Pipelines;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The buffer half of a connection's <see cref="PipeReader"/>, shared by the node's own transports: one contiguous
/// buffer that a receive fills at its free end. Unconsumed bytes stay where they are for the next read; the buffer
/// grows only while a single request needs the room, up to the bound a whole request fits in. How bytes arrive (a
/// socket receive, a system call on an epoll thread) is the derived reader's business.
/// </summary>
internal abstract class ReceiveBufferReader : PipeReader
{
    /// <summary>What a connection starts with and shrinks back to: a pipelined batch of small requests fits.</summary>
    internal const int InitialBufferSize = 8 * 1024;

    /// <summary>A buffer grown past this is given back once it is empty, so idle connections stay small.</summary>
    private const int KeptBufferSize = 64 * 1024;

    private readonly int _maxBufferSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _examined;
    private bool _ended;
    private bool _cancelRequested;

    protected ReceiveBufferReader(long maxBufferSize)
    {
        _maxBufferSize = (int)Math.Min(maxBufferSize, Array.MaxLength);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Whether a read can be answered without receiving: unexamined bytes, the end, or a cancellation.</summary>
    protected bool HasResult => _end > _examined || _ended || _cancelRequested;

    /// <summary>The free end of the buffer, where the next receive goes; empty once the buffer is returned.</summary>
    protected Memory<byte> FreeSpace => _buffer.AsMemory(_end);

    /// <summary>Marks the input ended (the peer closed, an error, or the reader was completed).</summary>
    protected void End() => _ended = true;

    /// <summary>Records a receive of <paramref name="count"/> bytes into <see cref="FreeSpace"/>; 0 is the end.</summary>
    protected void Received(int count)
    {
        if (count == 0)
            _ended = true;
        _end += count;
    }

    /// <summary>What a read answers now: every unconsumed byte, and whether the input ended or was cancelled.</summary>
    protected ReadResult Result()
    {
        var canceled = _cancelRequested;
        _cancelRequested = false;
        return new ReadResult(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), canceled, _ended);
    }

    /// <summary>
    /// Ensures free room at the end of the buffer: moves unconsumed bytes to the front, or grows. False when a
    /// single request has outgrown the bound: it can never be answered, and the session's own limits make that
    /// unreachable for a client speaking the protocol, so the caller ends the connection.
    /// </summary>
    protected bool MakeRoom()
    {
        var free = _buffer.Length - _end;
        if (_start > 0 && free < _buffer.Length / 2)
        {
            var held = _end - _start;
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
            _start = 0;
            _end = _examined = held;
            free = _buffer.Length - _end;
        }

        if (free > 0)
            return true;
        if (_buffer.Length >= _maxBufferSize)
            return false;

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * _buffer.Length, _maxBufferSize));
        _buffer.AsSpan(_start, _end - _start).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        _end -= _start;
        _examined -= _start;
        _start = 0;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // Positions of a single-array sequence are indexes into that array.
        _start = consumed.GetInteger() & int.MaxValue;
        _examined = Math.Max(_start, examined.GetInteger() & int.MaxValue);
        if (_start != _end)
            return;

        _start = _end = _examined = 0;
        if (_buffer.Length > KeptBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (HasResult)
        {
            result = Result();
            return true;
        }

        result = default;
        return false;
    }

    public override void CancelPendingRead() => _cancelRequested = true;

    public override void Complete(Exception? exception = null)
    {
        if (_buffer.Length == 0)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = _examined = 0;
        _ended = true;
    }
}
