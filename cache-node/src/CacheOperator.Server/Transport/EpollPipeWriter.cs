using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The epoll transport's <see cref="PipeWriter"/>: a flush is non-blocking sends from the loop's thread until
/// everything is out. When the socket cannot take everything (the client reads slowly) the flush waits for the
/// loop to report the socket writable, and its session, which awaits the flush, reads nothing meanwhile.
/// </summary>
internal sealed class EpollPipeWriter : SendBufferWriter, IValueTaskSource<FlushResult>
{
    private readonly int _fd;
    private ManualResetValueTaskSourceCore<FlushResult> _waiting = new() { RunContinuationsAsynchronously = false };
    private bool _isWaiting;
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

        _isWaiting = true;
        _waiting.Reset();
        return new ValueTask<FlushResult>(this, _waiting.Version);
    }

    /// <summary>An event said the socket may take more: a waiting flush sends the rest.</summary>
    internal void OnWritable()
    {
        if (_isWaiting && TrySendAll())
            Answer();
    }

    /// <summary>The connection is aborted: a waiting flush completes, and nothing more is sent.</summary>
    internal void Abort()
    {
        Closed = true;
        if (_isWaiting)
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

    private void Answer()
    {
        _isWaiting = false;
        _waiting.SetResult(Sent());
    }

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _waiting.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _waiting.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _waiting.OnCompleted(continuation, state, token, flags);
}
