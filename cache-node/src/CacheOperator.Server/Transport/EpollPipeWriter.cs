using System.IO.Pipelines;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The epoll transport's <see cref="PipeWriter"/>: a flush is non-blocking sends from the loop's thread until
/// everything is out. When the socket cannot take everything (the client reads slowly) the flush waits for the
/// loop to report the socket writable, and its session, which awaits the flush, reads nothing meanwhile.
/// </summary>
internal sealed class EpollPipeWriter : SendBufferWriter
{
    private readonly int _fd;
    private readonly LoopCompletion<FlushResult> _waiting = new();
    private int _sent;

    public EpollPipeWriter(int fd)
    {
        _fd = fd;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        _sent = 0;
        if (TrySendAll())
            return new ValueTask<FlushResult>(Sent());

        return _waiting.Wait();
    }

    /// <summary>An event said the socket may take more: a waiting flush sends the rest.</summary>
    internal void OnWritable()
    {
        if (_waiting.IsWaiting && TrySendAll())
            Answer();
    }

    /// <summary>The connection is aborted: a waiting flush completes, and nothing more is sent.</summary>
    internal void Abort()
    {
        Closed = true;
        if (_waiting.IsWaiting)
            Answer();
    }

    /// <summary>Sends what is left; false when the socket is full and the rest must wait.</summary>
    private bool TrySendAll()
    {
        while (_sent < Written && !Closed)
        {
            var count = EpollNative.Send(_fd, Unsent(_sent).Span, out var error);
            if (count >= 0)
                _sent += count;
            else if (error == EpollNative.ErrorWouldBlock)
                return false;
            else if (error != EpollNative.ErrorInterrupted)
                Closed = true;
        }

        return true;
    }

    private void Answer() => _waiting.Complete(Sent());
}
