using System.IO.Pipelines;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The epoll transport's <see cref="PipeReader"/>. A read receives only when the socket may hold bytes: after an
/// event, or after a receive that filled the buffer. A receive that came back short emptied the socket, and the
/// edge-triggered registration reports the next bytes, so the next read waits for that event instead of making a
/// receive that finds nothing (the runtime's socket API always makes it). A waiting read is completed on the loop's
/// thread, and its session runs there, inline.
/// </summary>
internal sealed class EpollPipeReader : ReceiveBufferReader
{
    /// <summary>
    /// Receives one connection may make in a row before its loop serves the others (memcached's -R, requests per
    /// event, for the same reason): a client that keeps its socket full would otherwise hold the thread.
    /// </summary>
    internal const int ReceivesPerTurn = 16;

    private readonly int _fd;
    private readonly EpollLoop _loop;
    private readonly EpollConnection _connection;
    private int _receivesThisTurn;
    private readonly LoopCompletion<ReadResult> _waiting = new();

    /// <summary>Whether the socket may hold bytes not yet received. True at first: bytes may precede the registration.</summary>
    private bool _mayHoldBytes = true;

    public EpollPipeReader(int fd, long maxBufferSize, EpollLoop loop, EpollConnection connection)
        : base(maxBufferSize)
    {
        _fd = fd;
        _loop = loop;
        _connection = connection;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (HasResult)
            return new ValueTask<ReadResult>(Result());
        if (_mayHoldBytes)
        {
            if (_receivesThisTurn < ReceivesPerTurn)
            {
                _receivesThisTurn++;
                if (TryReceive())
                    return new ValueTask<ReadResult>(Result());
            }
            else
            {
                // Its turn is over: the loop resumes it after the events it has already collected.
                _loop.Defer(_connection);
            }
        }

        return _waiting.Wait();
    }

    /// <summary>An event said the socket may hold bytes (or has closed).</summary>
    internal void MarkReadable() => _mayHoldBytes = true;

    /// <summary>After the connection's events: a waiting read receives what the socket holds, if anything.</summary>
    internal void OnReadable()
    {
        _receivesThisTurn = 0;
        if (_waiting.IsWaiting && _mayHoldBytes && TryReceive())
            Answer();
    }

    /// <summary>The connection is aborted: a waiting read sees the end.</summary>
    internal void Abort()
    {
        End();
        if (_waiting.IsWaiting)
            Answer();
    }

    public override void CancelPendingRead()
    {
        base.CancelPendingRead();
        // The waiting read belongs to the loop's thread: answer it there.
        _loop.Post(() =>
        {
            if (_waiting.IsWaiting)
                Answer();
        });
    }

    /// <summary>One receive into the buffer; true when the read can be answered (bytes, the end, an error).</summary>
    private bool TryReceive()
    {
        if (!MakeRoom())
        {
            End();
            return true;
        }

        while (true)
        {
            var free = FreeSpace.Span;
            var count = EpollNative.Receive(_fd, free, out var error);
            if (count >= 0)
            {
                Received(count);
                _mayHoldBytes = count == free.Length;
                return true;
            }

            if (error == EpollNative.ErrorInterrupted)
                continue;
            if (error == EpollNative.ErrorWouldBlock)
            {
                _mayHoldBytes = false;
                return false;
            }

            // Reset by the peer, or the socket is gone: nothing more to read.
            End();
            return true;
        }
    }

    /// <summary>Answers the waiting read; its session runs on from here, on the loop's thread.</summary>
    private void Answer() => _waiting.Complete(Result());
}
