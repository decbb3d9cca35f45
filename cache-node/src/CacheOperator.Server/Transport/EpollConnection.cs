using System.IO.Pipelines;
using System.Net.Sockets;

namespace CacheOperator.Server.Transport;

/// <summary>
/// One connection of the epoll transport: its socket, registered edge-triggered with its loop, and the reader and
/// writer its session uses. Every method runs on the loop's thread.
/// </summary>
internal sealed class EpollConnection : IEpollPipe
{
    private readonly EpollLoop _loop;
    private readonly EpollPipeReader _reader;
    private readonly EpollPipeWriter _writer;
    private readonly int _fd;

    public EpollConnection(EpollLoop loop, Socket socket, long maxReadBufferSize)
    {
        _loop = loop;
        // The socket keeps the descriptor open until it is disposed, after Close below.
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _reader = new EpollPipeReader(_fd, maxReadBufferSize, loop, this);
        _writer = new EpollPipeWriter(_fd);
        Token = loop.Add(this, _fd);
    }

    public EpollLoop Loop => _loop;

    /// <summary>What the loop's events carry for this connection.</summary>
    public ulong Token { get; }

    public PipeReader Input => _reader;

    public PipeWriter Output => _writer;

    /// <summary>The kernel reported the socket readable, writable, closed or failed (edge-triggered).</summary>
    public void OnEvents(uint events)
    {
        if ((events & (EpollNative.EpollIn | EpollNative.EpollRdHup | EpollNative.EpollErr | EpollNative.EpollHup)) != 0)
            _reader.MarkReadable();
        // A flush waiting for room completes first: its session then reads what arrived with the same event.
        if ((events & (EpollNative.EpollOut | EpollNative.EpollErr | EpollNative.EpollHup)) != 0)
            _writer.OnWritable();
        _reader.OnReadable();
    }

    /// <summary>Ends the connection now: a waiting read sees the end, a waiting flush completes, nothing more is sent.</summary>
    public void Abort()
    {
        _writer.Abort();
        _reader.Abort();
    }

    /// <summary>Stops watching the socket; the caller then shuts it down and disposes it.</summary>
    public void Detach() => _loop.Remove(this, _fd);
}
