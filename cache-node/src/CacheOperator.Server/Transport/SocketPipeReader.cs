using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CacheOperator.Server.Transport;

/// <summary>
/// A <see cref="PipeReader"/> over a socket for the direct transport: each <see cref="ReadAsync"/> that finds
/// nothing unexamined is one receive into the free end of the buffer, completed on the thread the socket engine
/// woke (no receive loop, no pipe in between).
/// </summary>
internal sealed class SocketPipeReader : ReceiveBufferReader
{
    private readonly Socket _socket;

    public SocketPipeReader(Socket socket, long maxBufferSize)
        : base(maxBufferSize)
    {
        _socket = socket;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (HasResult)
            return new ValueTask<ReadResult>(Result());
        if (!MakeRoom())
        {
            End();
            return new ValueTask<ReadResult>(Result());
        }

        ValueTask<int> receive;
        try
        {
            receive = _socket.ReceiveAsync(FreeSpace, SocketFlags.None, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            End();
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
            End();
        }

        return Result();
    }
}
