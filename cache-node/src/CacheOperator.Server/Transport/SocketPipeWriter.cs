using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CacheOperator.Server.Transport;

/// <summary>
/// A <see cref="PipeWriter"/> that collects a read's replies in one buffer and sends them from the calling thread
/// when flushed: one non-blocking send, no send loop to wake. Only when the socket cannot take everything (the
/// client reads slowly) does the flush wait for an asynchronous send of the rest, and the session, which awaits
/// its flush before it reads again, stops reading until then: the reply held stays bounded by the session's flush
/// threshold plus one value.
/// </summary>
internal sealed class SocketPipeWriter : PipeWriter
{
    /// <summary>A buffer grown past this (a large value) is given back after it has been sent.</summary>
    private const int KeptBufferSize = 128 * 1024;

    private readonly Socket _socket;
    private byte[] _buffer;
    private int _written;
    private bool _closed;

    public SocketPipeWriter(Socket socket)
    {
        _socket = socket;
        _buffer = ArrayPool<byte>.Shared.Rent(SocketPipeReader.InitialBufferSize);
    }

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

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        while (sent < _written && !_closed)
        {
            var count = _socket.Send(_buffer.AsSpan(sent, _written - sent), SocketFlags.None, out var error);
            if (error == SocketError.Success)
                sent += count;
            else if (error == SocketError.WouldBlock)
                return SendRestAsync(sent);
            else
                _closed = true;
        }

        return new ValueTask<FlushResult>(Sent());
    }

    /// <summary>The socket's send buffer is full: wait for it to drain, without holding the thread.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> SendRestAsync(int sent)
    {
        try
        {
            while (sent < _written)
                sent += await _socket.SendAsync(_buffer.AsMemory(sent, _written - sent), SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _closed = true;
        }

        return Sent();
    }

    private FlushResult Sent()
    {
        _written = 0;
        if (_buffer.Length > KeptBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(SocketPipeReader.InitialBufferSize);
        }

        return new FlushResult(isCanceled: false, isCompleted: _closed);
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
