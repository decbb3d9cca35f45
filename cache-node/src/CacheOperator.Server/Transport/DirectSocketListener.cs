using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using CacheOperator.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Transport;

/// <summary>
/// A cache role's memcached port without Kestrel: an accept loop whose connections are served by the role's handler
/// (the node's sessions, or the router's). With <see cref="NodeTransport.Direct"/> a connection's session runs over
/// <see cref="SocketPipeReader"/> and <see cref="SocketPipeWriter"/> on the runtime's socket engine threads; with
/// <see cref="NodeTransport.Epoll"/> each connection is given to one of the listener's own <see cref="EpollLoop"/>
/// threads and served there over <see cref="EpollPipeReader"/> and <see cref="EpollPipeWriter"/>. Either way one read
/// is one receive, the session, and one send, all on one thread. The handler enforces any connection limit, as with
/// Kestrel. On stop it stops accepting, ends every connection's reading (each session answers what it has and
/// closes), and aborts whatever is still open when the host's shutdown timeout ends.
/// </summary>
public sealed partial class DirectSocketListener : IHostedService, IDisposable
{
    private const int Backlog = 512;

    private readonly string _listenAddress;
    private readonly int _port;
    private readonly Func<IDuplexPipe, EndPoint?, Task> _serve;
    private readonly long _maxReadBufferSize;
    private readonly ILogger<DirectSocketListener> _logger;
    /// <summary>The clients' sockets, with the epoll connection serving each once it has one.</summary>
    private readonly ConcurrentDictionary<Socket, EpollConnection?> _connections = new();
    private readonly int _epollThreads;
    private readonly TimeSpan _poll;
    private EpollLoop[] _loops = [];
    private int _nextLoop;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    /// <param name="listenAddress">The address to bind, as the command line gives it.</param>
    /// <param name="port">The port; 0 picks a free one (see <see cref="EndPoint"/>).</param>
    /// <param name="serve">
    /// Serves one connection until it ends: takes its reader and writer and the client's address. Called on the
    /// accept loop's thread, so it must not block before its first read waits.
    /// </param>
    /// <param name="maxReadBufferSize">The most a connection's read buffer holds: a whole request must fit.</param>
    /// <param name="logger">Where failed accepts are logged.</param>
    /// <param name="epollThreads">
    /// 0 to serve connections on the runtime's socket engine (<see cref="NodeTransport.Direct"/>); otherwise how
    /// many epoll loop threads of its own serve them (<see cref="NodeTransport.Epoll"/>), connections dealt to
    /// them in turn.
    /// </param>
    /// <param name="poll">How long an epoll loop polls for events before it sleeps (see <see cref="EpollLoop"/>); zero never polls.</param>
    public DirectSocketListener(string listenAddress, int port, Func<IDuplexPipe, EndPoint?, Task> serve,
        long maxReadBufferSize, ILogger<DirectSocketListener> logger, int epollThreads = 0, TimeSpan poll = default)
    {
        _poll = poll;
        ArgumentOutOfRangeException.ThrowIfNegative(epollThreads);
        if (epollThreads > 0 && !EpollNative.IsSupported)
            throw new PlatformNotSupportedException("the epoll transport runs on Linux x64 and arm64 only; use --transport direct");
        _epollThreads = epollThreads;
        _listenAddress = listenAddress;
        _port = port;
        _serve = serve;
        _maxReadBufferSize = maxReadBufferSize;
        _logger = logger;
    }

    /// <summary>Whether this machine can run <see cref="NodeTransport.Epoll"/> (Linux x64 and arm64).</summary>
    public static bool SupportsEpoll => EpollNative.IsSupported;

    /// <summary>The bound endpoint (the real port when 0 was asked for), once started.</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var address = CacheRoleHosting.ParseAddress(_listenAddress);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // As Kestrel does for "::": IPv4 clients too.
            if (address.Equals(IPAddress.IPv6Any))
                listener.DualMode = true;
            listener.Bind(new IPEndPoint(address, _port));
            listener.Listen(Backlog);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            // Kestrel reports a port it cannot bind as an IOException; the command line expects that.
            throw new IOException($"Failed to bind to address {address}:{_port}: {ex.Message}", ex);
        }

        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _loops = new EpollLoop[_epollThreads];
        for (var i = 0; i < _loops.Length; i++)
            _loops[i] = new EpollLoop(_logger, _poll);
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset before it was accepted, or out of descriptors: go on with the next one.
                LogAcceptFailed(_logger, ex.SocketErrorCode);
                continue;
            }

            _connections.TryAdd(socket, null);
            if (_stopping.IsCancellationRequested)
                StopReading(socket);
            // Started on the accept loop's own thread (the listener's epoll thread), as Kestrel's inline scheduling
            // does: the session runs here only until its first receive must wait. Starting it on the thread pool
            // instead made a third of the benchmark runs at 4 connections 40% slower (docs/performance.md).
            if (_loops.Length == 0)
            {
                _ = ServeAsync(socket, null);
                continue;
            }

            var loop = _loops[_nextLoop++ % _loops.Length];
            loop.Post(() => _ = ServeAsync(socket, loop));
        }
    }

    /// <summary>Serves one connection; with a <paramref name="loop"/>, on that loop's thread from start to end.</summary>
    private async Task ServeAsync(Socket socket, EpollLoop? loop)
    {
        EpollConnection? connection = null;
        try
        {
            socket.NoDelay = true;
            // Sends are tried at once from the session's thread and must not block it.
            socket.Blocking = false;
            IDuplexPipe transport = loop is null
                ? new DuplexPipe(new SocketPipeReader(socket, _maxReadBufferSize), new SocketPipeWriter(socket))
                : connection = new EpollConnection(loop, socket, _maxReadBufferSize);
            if (connection is not null)
                _connections[socket] = connection;
            await _serve(transport, socket.RemoteEndPoint).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The client went away or the connection was aborted at shutdown.
        }
        finally
        {
            // A session that ended off its loop (it awaited another thread's work) must not detach from there.
            if (loop is not null)
                await loop.SwitchTo();
            connection?.Detach();
            _connections.TryRemove(socket, out _);
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already reset or aborted.
            }

            socket.Dispose();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        // A session waiting for bytes sees the end of its input, answers what it holds and returns.
        foreach (var socket in _connections.Keys)
            StopReading(socket);
        await ConnectionsEndedAsync(cancellationToken).ConfigureAwait(false);

        // Out of time (a client that does not read its replies): abort the rest.
        if (_loops.Length == 0)
        {
            foreach (var socket in _connections.Keys)
                socket.Dispose();
            return;
        }

        // A loop's connections are its own: it aborts them, and each session ends and closes its socket there.
        foreach (var loop in _loops)
        {
            // Only this listener's clients: the loop also serves a router's backend connections, which end with
            // the router's backends, not as failures of them.
            loop.Post(() =>
            {
                foreach (var connection in _connections.Values)
                {
                    if (connection is not null && connection.Loop == loop)
                        connection.Abort();
                }
            });
        }

        using var aborting = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await ConnectionsEndedAsync(aborting.Token).ConfigureAwait(false);
    }

    /// <summary>Returns once every connection has ended, or when <paramref name="cancellationToken"/> fires.</summary>
    private async Task ConnectionsEndedAsync(CancellationToken cancellationToken)
    {
        while (!_connections.IsEmpty && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void StopReading(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <remarks>
    /// The host disposes this listener twice (it is registered as a singleton and as a hosted service, each by a
    /// factory); everything here tolerates that.
    /// </remarks>
    public void Dispose()
    {
        _listener?.Dispose();
        foreach (var loop in _loops)
            loop.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    /// <summary>The reader and writer of one connection as the session takes them.</summary>
    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
