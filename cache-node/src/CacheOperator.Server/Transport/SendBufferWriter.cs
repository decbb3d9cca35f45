using System.Buffers;
using System.IO.Pipelines;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The buffer half of a connection's <see cref="PipeWriter"/>, shared by the node's own transports: a read's replies
/// are collected in one buffer and sent when flushed. How they are sent is the derived writer's business; the
/// session awaits each flush before it reads again, so the reply held stays bounded by the session's flush threshold
/// plus one value.
/// </summary>
internal abstract class SendBufferWriter : PipeWriter
{
    /// <summary>A buffer grown past this (a large value) is given back after it has been sent.</summary>
    private const int KeptBufferSize = 128 * 1024;

    private byte[] _buffer;
    private int _written;

    protected SendBufferWriter()
    {
        _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferReader.InitialBufferSize);
    }

    /// <summary>Set once a send failed: the connection is gone, and flushes report it completed.</summary>
    protected bool Closed { get; set; }

    /// <summary>Bytes written since the last flush.</summary>
    protected int Written => _written;

    /// <summary>The written bytes from <paramref name="offset"/> on: what is left to send.</summary>
    protected ReadOnlyMemory<byte> Unsent(int offset) => _buffer.AsMemory(offset, _written - offset);

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, _buffer.Length - _written);
        _written += bytes;
    }

    private void Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
            return;
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(2L * _buffer.Length, (long)_written + needed), Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>Everything written has been sent (or the connection is gone): empties the buffer.</summary>
    protected FlushResult Sent()
    {
        _written = 0;
        if (_buffer.Length > KeptBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferReader.InitialBufferSize);
        }

        return new FlushResult(isCanceled: false, isCompleted: Closed);
    }

    public override void CancelPendingFlush()
    {
        // Flushes are never left pending by a caller here: the session awaits each one.
    }

    public override void Complete(Exception? exception = null)
    {
        if (_buffer.Length == 0)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _written = 0;
    }
}
