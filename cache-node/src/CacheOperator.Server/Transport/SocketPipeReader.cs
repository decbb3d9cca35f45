using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CacheOperator.Server.Transport;

/// <summary>
/// A <see cref="PipeReader"/> that is one contiguous buffer over a socket: each <see cref="ReadAsync"/> that finds
/// nothing unexamined is one receive into the free end of the buffer, completed on the thread the socket engine
/// woke (no receive loop, no pipe in between). Unconsumed bytes stay where they are for the next read; the buffer
/// grows only while a single request needs the room, up to the bound a whole request fits in.
/// </summary>
internal sealed class SocketPipeReader : PipeReader
{
    /// <summary>What a connection starts with and shrinks back to: a pipelined batch of small requests fits.</summary>
    internal const int InitialBufferSize = 8 * 1024;

    /// <summary>A buffer grown past this is given back once it is empty, so idle connections stay small.</summary>
    private const int KeptBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly int _maxBufferSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _examined;
    private bool _ended;
    private bool _cancelRequested;

    public SocketPipeReader(Socket socket, long maxBufferSize)
    {
        _socket = socket;
        _maxBufferSize = (int)Math.Min(maxBufferSize, Array.MaxLength);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_end > _examined || _ended || _cancelRequested)
            return new ValueTask<ReadResult>(Result());
        if (!MakeRoom())
        {
            // A request larger than the bound can never be answered; the session's own limits make this
            // unreachable for a client speaking the protocol, so ending the connection is the safe answer.
            _ended = true;
            return new ValueTask<ReadResult>(Result());
        }

        ValueTask<int> receive;
        try
        {
            receive = _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _ended = true;
            return new ValueTask<ReadResult>(Result());
        }

        if (receive.IsCompletedSuccessfully)
        {
            Received(receive.Result);
            return new ValueTask<ReadResult>(Result());
        }

        return AwaitReceiveAsync(receive);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitReceiveAsync(ValueTask<int> receive)
    {
        try
        {
            Received(await receive.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Reset by the peer or aborted at shutdown: either way there is nothing more to read.
            _ended = true;
        }

        return Result();
    }

    private void Received(int count)
    {
        if (count == 0)
            _ended = true;
        _end += count;
    }

    private ReadResult Result()
    {
        var canceled = _cancelRequested;
        _cancelRequested = false;
        return new ReadResult(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), canceled, _ended);
    }

    /// <summary>Ensures free room at the end of the buffer: moves unconsumed bytes to the front, or grows.</summary>
    private bool MakeRoom()
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
        if (_end > _examined || _ended || _cancelRequested)
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
