using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace CacheOperator.Router.Backends;

/// <summary>
/// One persistent, pipelined connection to a backend. Requests from any number of client sessions are written
/// back to back; each is queued with the kind of its reply, and the receive loop hands replies out in order
/// (memcached answers in order). Any failure fails every request in flight and closes the connection.
/// </summary>
internal sealed class BackendConnection
{
    private static readonly PipeOptions SendPipeOptions = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0,
        useSynchronizationContext: false);

    private readonly Socket _socket;
    private readonly Pipe _send = new(SendPipeOptions);
    private readonly Queue<PendingReply> _inFlight = new();
    private readonly Lock _lock = new();
    private readonly Action<BackendConnection, ReplyStatus, bool> _onClosed;
    private bool _closed;

    private BackendConnection(Socket socket, Action<BackendConnection, ReplyStatus, bool> onClosed)
    {
        _socket = socket;
        _onClosed = onClosed;
    }

    /// <summary>Requests written and not yet answered.</summary>
    public int Outstanding
    {
        get
        {
            lock (_lock)
                return _inFlight.Count;
        }
    }

    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>
    /// Creates the connection and starts connecting. Requests may be queued at once: they are written, in order,
    /// as soon as the socket connects, and fail with the connection if it cannot (refused: hard; slow: timeout).
    /// </summary>
    public static BackendConnection Open(string host, int port, TimeSpan timeout, Action<BackendConnection, ReplyStatus, bool> onClosed)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new BackendConnection(socket, onClosed);
        _ = connection.ConnectAsync(host, port, timeout);
        return connection;
    }

    private async Task ConnectAsync(string host, int port, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await _socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Close(ReplyStatus.Timeout);
            return;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Close(ReplyStatus.Hard);
            return;
        }

        _ = SendLoopAsync();
        _ = ReceiveLoopAsync();
    }

    /// <summary>Queues a request; false when the connection is already closed (the caller picks another).</summary>
    public bool TrySend(PendingReply reply, ReadOnlySpan<byte> request, bool appendNoop)
    {
        lock (_lock)
        {
            if (_closed)
                return false;
            reply.StartedTimestamp = Stopwatch.GetTimestamp();
            _inFlight.Enqueue(reply);
            var writer = _send.Writer;
            writer.Write(request);
            if (appendNoop)
                writer.Write("mn\r\n"u8);
            // The pipe never pauses the writer (threshold 0), so this completes at once and only wakes the send loop.
            var flush = writer.FlushAsync();
            Debug.Assert(flush.IsCompleted);
            flush.GetAwaiter().GetResult();
            return true;
        }
    }

    /// <summary>Closes the connection with a timeout when its oldest request has waited longer than <paramref name="timeoutTicks"/>.</summary>
    public void CheckTimeout(long now, long timeoutTicks)
    {
        bool expired;
        lock (_lock)
            expired = !_closed && _inFlight.TryPeek(out var oldest) && now - oldest.StartedTimestamp > timeoutTicks;
        if (expired)
            Close(ReplyStatus.Timeout);
    }

    /// <summary>Fails everything in flight with <paramref name="status"/> and closes the socket.</summary>
    public void Close(ReplyStatus status)
    {
        PendingReply[] failed;
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            failed = [.. _inFlight];
            _inFlight.Clear();
            _send.Writer.Complete();
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset: closing is all that is left.
        }

        _socket.Dispose();
        foreach (var reply in failed)
            reply.Complete(status);
        _onClosed(this, status, failed.Length > 0);
    }

    private async Task SendLoopAsync()
    {
        var reader = _send.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    var sent = 0;
                    while (sent < segment.Length)
                        sent += await _socket.SendAsync(segment[sent..], SocketFlags.None).ConfigureAwait(false);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Close(ReplyStatus.Hard);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var stream = new NetworkStream(_socket, ownsSocket: false);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(minimumReadSize: 16 * 1024));
        var status = ReplyStatus.Hard;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!Deliver(ref buffer))
                {
                    status = ReplyStatus.Protocol;
                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset or a local close: either way the requests in flight are lost.
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            Close(status);
        }
    }

    /// <summary>Hands every whole reply in <paramref name="buffer"/> to its request; false when the stream is out of step.</summary>
    private bool Deliver(ref ReadOnlySequence<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            PendingReply? oldest;
            lock (_lock)
                _inFlight.TryPeek(out oldest);
            if (oldest is null)
                return false;
            var framed = ReplyFramer.TryFrame(buffer, oldest.Kind, out var length);
            if (framed == FrameResult.Incomplete)
                return true;
            if (framed == FrameResult.Invalid)
                return false;
            lock (_lock)
            {
                if (_closed)
                    return true;
                // Dequeued before the copy: once off the queue no one else completes (and frees) this reply.
                _inFlight.Dequeue();
            }

            oldest.Reply.Write(buffer.Slice(0, length));
            buffer = buffer.Slice(length);
            oldest.Complete(ReplyStatus.Ok);
        }

        return true;
    }
}
