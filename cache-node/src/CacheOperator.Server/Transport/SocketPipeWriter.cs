using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CacheOperator.Server.Transport;

/// <summary>
/// A <see cref="PipeWriter"/> over a socket for the direct transport: a flush is one non-blocking send from the
/// calling thread, no send loop to wake. Only when the socket cannot take everything (the client reads slowly) does
/// the flush wait for an asynchronous send of the rest, and the session, which awaits its flush before it reads
/// again, stops reading until then.
/// </summary>
internal sealed class SocketPipeWriter : SendBufferWriter
{
    private readonly Socket _socket;

    public SocketPipeWriter(Socket socket)
    {
        _socket = socket;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        while (sent < Written && !Closed)
        {
            var count = _socket.Send(Unsent(sent).Span, SocketFlags.None, out var error);
            if (error == SocketError.Success)
                sent += count;
            else if (error == SocketError.WouldBlock)
                return SendRestAsync(sent);
            else
                Closed = true;
        }

        return new ValueTask<FlushResult>(Sent());
    }

    /// <summary>The socket's send buffer is full: wait for it to drain, without holding the thread.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> SendRestAsync(int sent)
    {
        try
        {
            while (sent < Written)
                sent += await _socket.SendAsync(Unsent(sent), SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Closed = true;
        }

        return Sent();
    }
}
