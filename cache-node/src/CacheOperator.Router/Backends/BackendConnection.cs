using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using CacheOperator.Server.Transport;

namespace CacheOperator.Router.Backends;

/// <summary>
/// One persistent, pipelined connection to a backend. Requests from any number of client sessions are written
/// back to back; each is queued with the kind of its reply, and the receive loop hands replies out in order
/// (memcached answers in order). Any failure fails every request in flight and closes the connection.
/// </summary>
/// <remarks>
/// Requests are written to the socket by the thread that sends them, not by a send loop: waking another thread
/// per request cost more than the request itself. Bytes queue in <c>_outgoing</c>; whoever finds no send in
/// progress takes them all and sends them (on loopback the send completes at once). Inside a batch
/// (<see cref="BeginBatch"/>) the send waits for <see cref="EndBatch"/>, so every request of one client read goes
/// out with one system call.
/// <para>
/// A connection opened on an <see cref="EpollLoop"/> (the router's epoll transport) belongs to that loop: only its
/// sessions send on it, its replies are received there and resume those sessions inline, and the requests the loop
/// queued while serving one round of events go out in one send once it has. Other threads (the timeout check, a
/// backend marked down) close it through the loop.
/// </para>
/// </remarks>
internal sealed class BackendConnection
{
    /// <summary>The most a loop connection's receive buffer grows to: the largest single reply (one item) must fit.</summary>
    private const long MaxReplyBuffer = 256L * 1024 * 1024;

    /// <summary>
    /// Requests queued while earlier ones wait for replies are held (up to this many bytes) and sent by the receive
    /// loop when replies come: many clients' requests then share one send, and the node wakes once for them, not
    /// once each. A request waits at most until the next reply of its connection, which is already on its way
    /// (see <see cref="HoldBehindAtLeast"/>).
    /// </summary>
    private const int HoldWhileAnswering = 16 * 1024;

    /// <summary>
    /// Requests are held only behind this many sent and unanswered: then replies are coming all the time and the
    /// wait is short. Behind one or two (a few clients, one request each) a held request would wait a whole round
    /// trip: c=4 d=1 lost a quarter of its throughput when every request was held.
    /// </summary>
    private const int HoldBehindAtLeast = 4;

    [ThreadStatic]
    private static List<BackendConnection>? _batch;

    private readonly Socket _socket;
    private readonly Queue<PendingReply> _inFlight = new();
    private readonly Lock _lock = new();
    private readonly Action<BackendConnection, ReplyStatus, bool> _onClosed;
    private PooledBuffer _outgoing = new(4096);
    private PooledBuffer _spare = new(4096);

    /// <summary>A send owns the socket (also true until it connects, so requests queue until then).</summary>
    private bool _sending = true;

    /// <summary>Requests queued in <c>_outgoing</c> (or the chunk being sent by a send that started with none of them) not yet handed to a send.</summary>
    private int _unsent;
    private bool _inBatch;

    /// <summary>Requests queued inside batches since the last <see cref="EndBatch"/> that sent this connection's bytes.</summary>
    private int _batchRequests;
    private bool _closed;

    /// <summary>The receive loop waits for a streamed reply's consumer (see <see cref="PendingReply.Append"/>).</summary>
    private bool _waitingForConsumer;
    private long _resumedTimestamp;

    /// <summary>The oldest request whose timeout was already put off once because replies were unread (only the timeout check touches it).</summary>
    private PendingReply? _extendedFor;

    /// <summary>The loop that owns this connection; null on the runtime's socket engine.</summary>
    private readonly EpollLoop? _loop;

    /// <summary>The loop's reader and writer of the socket, once it is connecting.</summary>
    private IEpollPipe? _pipe;
    private readonly Action? _flushOnLoop;
    private bool _flushQueued;

    /// <summary>A loop connection's flush waits for the socket to take more (or to connect).</summary>
    private bool _flushing;

    private BackendConnection(Socket socket, Action<BackendConnection, ReplyStatus, bool> onClosed, EpollLoop? loop = null)
    {
        _socket = socket;
        _onClosed = onClosed;
        _loop = loop;
        if (loop is not null)
            _flushOnLoop = FlushOnLoop;
    }

    private long _readsHandled;

    /// <summary>Reads of replies fully handled: delivered, and the held requests they release sent.</summary>
    internal long ReadsHandled => Volatile.Read(ref _readsHandled);

    /// <summary>Whether a send is under way (it takes whatever is queued meanwhile with it, held or not).</summary>
    internal bool IsSending
    {
        get
        {
            lock (_lock)
                return _loop is null ? _sending : _flushing;
        }
    }

    /// <summary>Requests written and not yet answered.</summary>
    /// <remarks>
    /// Read without the lock: least-outstanding reads ask every copy's connections, those of other epoll loops
    /// included, on every read, and must not contend with their owners for it. Written under the lock.
    /// </remarks>
    public int Outstanding => Volatile.Read(ref _outstanding);

    private int _outstanding;

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

    /// <summary>
    /// Creates a connection owned by <paramref name="loop"/> and starts connecting without blocking; on the loop's
    /// thread only. Requests queue until it connects; a backend that never answers is found by the timeout check
    /// (a queued request grows old), one that refuses by the receive failing.
    /// </summary>
    public static BackendConnection OpenOnLoop(EpollLoop loop, string host, int port, Action<BackendConnection, ReplyStatus, bool> onClosed)
    {
        Debug.Assert(loop.IsCurrent, "a loop connection is opened on its loop");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        var connection = new BackendConnection(socket, onClosed, loop);
        if (IPAddress.TryParse(host, out var address))
            connection.StartConnect(address, port);
        else
            _ = connection.ResolveAndConnectAsync(host, port);
        return connection;
    }

    private async Task ResolveAndConnectAsync(string host, int port)
    {
        IPAddress? address = null;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            // Unknown or malformed name: a hard error, as a refused connection.
        }

        await _loop!.SwitchTo();
        if (address is null)
            Close(ReplyStatus.Hard);
        else
            StartConnect(address, port);
    }

    /// <summary>A non-blocking connect, then the socket goes to the loop; what was queued meanwhile is sent once it connects.</summary>
    private void StartConnect(IPAddress address, int port)
    {
        if (IsClosed)
            return;
        if (!_loop!.IsCurrent)
        {
            // The loop stopped while the name was being resolved: there is nothing left to attach to.
            Close(ReplyStatus.Hard);
            return;
        }

        try
        {
            if (address.AddressFamily != _socket.AddressFamily && _socket.AddressFamily == AddressFamily.InterNetworkV6)
                address = address.MapToIPv6();
            _socket.Connect(new IPEndPoint(address, port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Connecting: a send waits for the socket to become writable, which it does once connected.
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Refused at once (loopback answers during the call). Closed after this round: the caller is still
            // taking the connection from its pool.
            _loop!.AfterEvents(() => Close(ReplyStatus.Hard));
            return;
        }

        _pipe = _loop!.Attach(_socket, MaxReplyBuffer);
        _ = ReceiveLoopAsync();
        QueueFlush();
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

        _ = ReceiveLoopAsync();
        lock (_lock)
            _sending = false;
        Flush();
    }

    /// <summary>
    /// Holds this thread's sends until <see cref="EndBatch"/> (a client session around one read's requests).
    /// Sends from other threads are not held, and they carry the held bytes with theirs.
    /// </summary>
    public static void BeginBatch() => _batch ??= [];

    /// <summary>Sends what this thread queued since <see cref="BeginBatch"/>.</summary>
    public static void EndBatch()
    {
        var batch = _batch;
        if (batch is null)
            return;
        _batch = null;
        foreach (var connection in batch)
        {
            bool pipelined;
            lock (connection._lock)
            {
                connection._inBatch = false;
                pipelined = connection._batchRequests > 1;
                connection._batchRequests = 0;
            }

            // A client's pipelined requests already share this send: holding them would only add a round trip.
            connection.Flush(now: pipelined);
        }
    }

    /// <summary>Queues a request; false when the connection is already closed (the caller picks another).</summary>
    public bool TrySend(PendingReply reply, ReadOnlySpan<byte> request, bool appendNoop)
    {
        if (_loop is not null)
            return TrySendOnLoop(reply, request, appendNoop);
        var batch = _batch;
        lock (_lock)
        {
            if (_closed)
                return false;
            Queue(reply, request, appendNoop);
            _unsent++;
            if (batch is not null)
            {
                _batchRequests++;
                if (!_inBatch)
                {
                    _inBatch = true;
                    batch.Add(this);
                }

                return true;
            }
        }

        Flush();
        return true;
    }

    /// <summary>
    /// Puts the request's bytes and its reply in line; under the lock. The queue and the bytes change in one step,
    /// so replies come back in the order of the queue.
    /// </summary>
    private void Queue(PendingReply reply, ReadOnlySpan<byte> request, bool appendNoop)
    {
        reply.StartedTimestamp = Stopwatch.GetTimestamp();
        _inFlight.Enqueue(reply);
        Volatile.Write(ref _outstanding, _inFlight.Count);
        _outgoing.Write(request);
        if (appendNoop)
            _outgoing.Write("mn\r\n"u8);
    }

    private bool TrySendOnLoop(PendingReply reply, ReadOnlySpan<byte> request, bool appendNoop)
    {
        Debug.Assert(_loop!.IsCurrent, "only the owning loop sends on a loop connection");
        lock (_lock)
        {
            if (_closed)
                return false;
            Queue(reply, request, appendNoop);
        }

        QueueFlush();
        return true;
    }

    /// <summary>Sends what is queued once the loop has served its current events (every session's requests of the round together).</summary>
    private void QueueFlush()
    {
        if (_flushQueued)
            return;
        _flushQueued = true;
        _loop!.AfterEvents(_flushOnLoop!);
    }

    private void FlushOnLoop()
    {
        _flushQueued = false;
        if (_flushing || _pipe is null || IsClosed || _outgoing.Length == 0)
            return;
        var output = _pipe.Output;
        lock (_lock)
        {
            output.Write(_outgoing.Span);
            _outgoing.Clear();
        }

        var flush = output.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            _flushing = true;
            _ = AwaitFlushAsync(flush);
        }
        else if (flush.Result.IsCompleted)
        {
            Close(ReplyStatus.Hard);
        }
    }

    /// <summary>A flush that waits for the socket (connecting, or full); completed on the loop, which runs this on.</summary>
    private async Task AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        var result = await flush.ConfigureAwait(false);
        await _loop!.SwitchTo();
        _flushing = false;
        if (result.IsCompleted)
            Close(ReplyStatus.Hard);
        else if (_outgoing.Length > 0)
            QueueFlush();
    }

    /// <summary>
    /// Starts sending the queued bytes unless a send is already in progress (it takes them when done), or, unless
    /// <paramref name="now"/>, while requests already sent wait for their replies: then the receive loop sends
    /// them when the next replies arrive (see <see cref="HoldWhileAnswering"/>).
    /// </summary>
    private void Flush(bool now = false)
    {
        PooledBuffer chunk;
        lock (_lock)
        {
            if (_sending || _closed || _outgoing.Length == 0)
                return;
            if (!now && _inFlight.Count - _unsent >= HoldBehindAtLeast && _outgoing.Length < HoldWhileAnswering)
                return;
            _sending = true;
            _unsent = 0;
            chunk = _outgoing;
            _outgoing = _spare;
            _spare = chunk;
        }

        _ = SendAsync(chunk);
    }

    /// <summary>Sends <paramref name="chunk"/>, then whatever queued meanwhile; synchronous while the socket takes it all.</summary>
    private async Task SendAsync(PooledBuffer chunk)
    {
        try
        {
            while (true)
            {
                var bytes = chunk.Memory;
                var sent = 0;
                while (sent < bytes.Length)
                    sent += await _socket.SendAsync(bytes[sent..], SocketFlags.None).ConfigureAwait(false);
                lock (_lock)
                {
                    chunk.Clear();
                    if (_closed || _outgoing.Length == 0)
                    {
                        _sending = false;
                        return;
                    }

                    // Swap: the queued bytes go next, the sent buffer takes new requests.
                    _unsent = 0;
                    _spare = _outgoing;
                    _outgoing = chunk;
                    chunk = _spare;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Close(ReplyStatus.Hard);
        }
    }

    /// <summary>Closes the connection with a timeout when its oldest request has waited longer than <paramref name="timeoutTicks"/>.</summary>
    public void CheckTimeout(long now, long timeoutTicks)
    {
        // Waiting for a slow client is not the backend being slow; the clock restarts when the client catches up.
        if (Volatile.Read(ref _waitingForConsumer))
            return;
        var resumed = Volatile.Read(ref _resumedTimestamp);
        PendingReply? expired = null;
        lock (_lock)
        {
            if (!_closed && _inFlight.TryPeek(out var oldest) && now - Math.Max(oldest.StartedTimestamp, resumed) > timeoutTicks)
                expired = oldest;
        }

        if (expired is null)
            return;

        // Replies waiting unread in the socket mean the backend answered and the router is behind (starved): that
        // request's clock restarts once, and a backend that really stopped is judged a timeout later.
        if (!ReferenceEquals(_extendedFor, expired) && HasUnreadBytes())
        {
            _extendedFor = expired;
            Volatile.Write(ref _resumedTimestamp, now);
            return;
        }

        Close(ReplyStatus.Timeout);
    }

    private bool HasUnreadBytes()
    {
        try
        {
            return _socket.Available > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Fails everything in flight with <paramref name="status"/> and closes the socket.</summary>
    /// <remarks>A loop connection closed from another thread is closed by its loop, soon after.</remarks>
    public void Close(ReplyStatus status)
    {
        if (_loop is { MayRunHere: false })
        {
            _loop.Post(() => Close(status));
            return;
        }

        PendingReply[] failed;
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            failed = [.. _inFlight];
            _inFlight.Clear();
            Volatile.Write(ref _outstanding, 0);
        }

        // The loop lets go of the socket before it closes: a waiting read sees the end, and the number is not watched
        // when the kernel gives it to the next socket.
        _pipe?.Abort();
        _pipe?.Detach();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset, or never connected: closing is all that is left.
        }

        _socket.Dispose();
        foreach (var reply in failed)
            reply.Complete(status);
        _onClosed(this, status, failed.Length > 0);
    }

    private async Task ReceiveLoopAsync()
    {
        // On a loop, the loop's reader: a read completes there (inline) when the kernel reports replies.
        var stream = _pipe is null ? new NetworkStream(_socket, ownsSocket: false) : null;
        var input = _pipe?.Input ?? PipeReader.Create(stream!, new StreamPipeReaderOptions(minimumReadSize: 16 * 1024));
        var status = ReplyStatus.Hard;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!Deliver(ref buffer, out var consumerBehind))
                {
                    status = ReplyStatus.Protocol;
                    break;
                }

                // Requests held while these replies were on their way go now, together (on a loop, after its round).
                if (_loop is null)
                    Flush(now: true);
                // Only this loop writes it: a plain store, no locked instruction on every read of replies.
                Volatile.Write(ref _readsHandled, _readsHandled + 1);
                if (consumerBehind is not null)
                {
                    // A streamed reply's consumer (a client) is behind: read nothing more until it catches up. The
                    // rest of this read is looked at again at once after.
                    input.AdvanceTo(buffer.Start);
                    Volatile.Write(ref _waitingForConsumer, true);
                    await consumerBehind.ConfigureAwait(false);
                    if (_loop is not null)
                        await _loop.SwitchTo();
                    Volatile.Write(ref _resumedTimestamp, Stopwatch.GetTimestamp());
                    Volatile.Write(ref _waitingForConsumer, false);
                    continue;
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
            if (_loop is not null)
                await _loop.SwitchTo();
            await input.CompleteAsync().ConfigureAwait(false);
            if (stream is not null)
                await stream.DisposeAsync().ConfigureAwait(false);
            Close(status);
        }
    }

    /// <summary>Hands every whole reply in <paramref name="buffer"/> to its request; false when the stream is out of step.</summary>
    /// <remarks>
    /// <paramref name="consumerBehind"/> is set when a streamed reply's consumer must catch up before the backend
    /// is read again.
    /// </remarks>
    private bool Deliver(ref ReadOnlySequence<byte> buffer, out Task? consumerBehind)
    {
        consumerBehind = null;
        while (!buffer.IsEmpty)
        {
            PendingReply? oldest;
            lock (_lock)
                _inFlight.TryPeek(out oldest);
            if (oldest is null)
                return false;
            // A streamed reply goes one part (VALUE block) at a time; any other reply whole.
            var last = true;
            var framed = oldest.IsStreamed
                ? ReplyFramer.TryFrameRetrievalPart(buffer, out var length, out last)
                : ReplyFramer.TryFrame(buffer, oldest.Kind, out length);
            if (framed == FrameResult.Incomplete)
                return true;
            if (framed == FrameResult.Invalid)
                return false;
            lock (_lock)
            {
                if (_closed)
                    return true;
                // Dequeued before the copy: once off the queue no one else completes (and frees) this reply.
                if (last)
                {
                    _inFlight.Dequeue();
                    Volatile.Write(ref _outstanding, _inFlight.Count);
                }
            }

            if (oldest.IsStreamed)
            {
                // Each block counts as progress: a long reply is not a timed-out one.
                oldest.StartedTimestamp = Stopwatch.GetTimestamp();
                consumerBehind = oldest.Append(buffer.Slice(0, length));
            }
            else
            {
                oldest.Reply.Write(buffer.Slice(0, length));
            }

            buffer = buffer.Slice(length);
            if (last)
                oldest.Complete(ReplyStatus.Ok);
            if (consumerBehind is not null)
                return true;
        }

        return true;
    }
}
