using System.Diagnostics;
using CacheOperator.Ring;
using CacheOperator.Router.Observability;
using CacheOperator.Server.Transport;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Router.Backends;

/// <summary>
/// One memcached-compatible node the router sends to: a small pool of pipelined connections, its up/down state
/// (heartbeats, hard errors, timeouts in a row) and the deletes it missed while down.
/// </summary>
internal sealed partial class Backend : IDisposable
{
    private readonly BackendConnection?[] _slots;

    /// <summary>
    /// The connections of each epoll loop that sent here (the router's epoll transport): a loop's sessions use its
    /// own, so a request and its reply stay on that loop's thread. Replaced whole when a loop is added; read
    /// without the lock.
    /// </summary>
    private LoopSlots[] _loopSlots = [];
    private readonly Lock _slotLock = new();
    private readonly Func<HeartbeatSettings> _settings;
    private readonly ILogger _logger;
    private readonly int _deleteLimit;
    private readonly Queue<byte[]> _missedDeletes = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private int _next;
    private int _up = 1;
    private int _timeoutsInRow;

    public Backend(NodeAddress address, string pool, BackendMetrics metrics, Func<HeartbeatSettings> settings,
        int connections, int deleteLimit, ILogger logger)
    {
        Address = address;
        Pool = pool;
        Metrics = metrics;
        _settings = settings;
        _slots = new BackendConnection?[Math.Max(1, connections)];
        _deleteLimit = deleteLimit;
        _logger = logger;
        Name = address.ToString();
    }

    public NodeAddress Address { get; }

    public string Name { get; }

    /// <summary>Pool the backend serves ("gutter" for gutter nodes); a metrics label.</summary>
    public string Pool { get; }

    public BackendMetrics Metrics { get; }

    public bool IsUp => Volatile.Read(ref _up) == 1;

    /// <summary>When the backend was last marked down (Stopwatch ticks), for reports and tests.</summary>
    public long DownSinceTimestamp { get; private set; }

    /// <summary>Requests in flight over all its connections (for least-outstanding reads).</summary>
    public int Outstanding
    {
        get
        {
            // Read per request by least-outstanding reads: plain loops, no iterator.
            var total = Sum(_slots);
            foreach (var loop in Volatile.Read(ref _loopSlots))
                total += Sum(loop.Slots);
            return total;

            static int Sum(BackendConnection?[] slots)
            {
                var sum = 0;
                for (var i = 0; i < slots.Length; i++)
                {
                    if (Volatile.Read(ref slots[i]) is { } connection)
                        sum += connection.Outstanding;
                }

                return sum;
            }
        }
    }

    /// <summary>A number spreading callers over the connections; each client session takes one.</summary>
    public int NextAffinity() => Interlocked.Increment(ref _next);

    /// <summary>Starts the heartbeat loop.</summary>
    public void Start() => _ = HeartbeatLoopAsync(_stop.Token);

    /// <summary>
    /// Sends one request and waits for its reply; a timeout is retried once on a fresh connection. The caller
    /// owns the returned reply's buffer. A down backend is not sent to (status <see cref="ReplyStatus.Down"/>).
    /// </summary>
    /// <remarks>
    /// Requests with the same <paramref name="affinity"/> share a connection, so one client's requests to this
    /// backend are executed in the order it sent them (a delete then a get must not overtake each other).
    /// </remarks>
    public async Task<PendingReply> SendAsync(ReadOnlyMemory<byte> request, ReplyKind kind, bool appendNoop, int affinity,
        bool evenIfDown = false, bool retryTimeout = true)
    {
        PendingReply reply = new(kind);
        for (var attempt = retryTimeout ? 0 : 1; attempt < 3; attempt++)
        {
            if (!evenIfDown && !IsUp)
            {
                Metrics.Error(ReplyStatus.Down);
                reply.Complete(ReplyStatus.Down);
                return reply;
            }

            var connection = GetConnection(affinity);
            if (!connection.TrySend(reply, request.Span, appendNoop))
                continue;
            Metrics.Requests.Inc();
            var result = await reply.WaitAsync().ConfigureAwait(false);
            Account(reply, result);
            if (result != ReplyStatus.Timeout || attempt > 0)
                return reply;
            reply.Reply.Dispose();
            reply = new PendingReply(kind);
        }

        reply.Complete(ReplyStatus.Hard);
        return reply;
    }

    /// <summary>
    /// The first attempt of <see cref="SendAsync"/> without a state machine of its own, for the request path:
    /// the caller awaits the returned reply's <see cref="PendingReply.WaitAsync"/> and passes the result to
    /// <see cref="MustRetry"/>. Null when nothing was sent (down, or the connection just closed): use
    /// <see cref="SendAsync"/>.
    /// </summary>
    public PendingReply? TryStart(ReadOnlySpan<byte> request, ReplyKind kind, bool appendNoop, int affinity)
    {
        if (!IsUp)
            return null;
        var reply = new PendingReply(kind);
        if (!GetConnection(affinity).TrySend(reply, request, appendNoop))
            return null;
        Metrics.Requests.Inc();
        return reply;
    }

    /// <summary>
    /// Accounts for a reply started by <see cref="TryStart"/> as <see cref="SendAsync"/> would; true when it timed
    /// out and must be sent again (with <see cref="SendAsync"/>, retryTimeout false; its buffer is freed).
    /// </summary>
    public bool MustRetry(PendingReply reply, ReplyStatus result)
    {
        Account(reply, result);
        if (result != ReplyStatus.Timeout)
            return false;
        reply.Reply.Dispose();
        return true;
    }

    /// <summary>Metrics and the timeouts-in-a-row count for one finished attempt.</summary>
    private void Account(PendingReply reply, ReplyStatus result)
    {
        if (result != ReplyStatus.Ok)
        {
            Metrics.Error(result);
            return;
        }

        // Written only when it changes: a store per request would bounce the line between cores.
        if (Volatile.Read(ref _timeoutsInRow) != 0)
            Volatile.Write(ref _timeoutsInRow, 0);
        Metrics.Latency.Observe(Stopwatch.GetElapsedTime(reply.StartedTimestamp).TotalSeconds);
    }

    /// <summary>
    /// Sends a get whose reply is streamed (see <see cref="PendingReply.TakeAsync"/>) and returns at once; the
    /// request bytes are copied before it returns. Not retried: part of the reply may already be with the client.
    /// </summary>
    public PendingReply SendStreamed(ReadOnlySpan<byte> request, int affinity)
    {
        var reply = new PendingReply(ReplyKind.Retrieval, streamed: true);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (!IsUp)
            {
                Metrics.Error(ReplyStatus.Down);
                reply.Complete(ReplyStatus.Down);
                return reply;
            }

            if (GetConnection(affinity).TrySend(reply, request, appendNoop: false))
            {
                Metrics.Requests.Inc();
                return reply;
            }
        }

        reply.Complete(ReplyStatus.Hard);
        return reply;
    }

    /// <summary>Closes connections whose oldest request is older than the request timeout.</summary>
    public void CheckTimeouts(long now)
    {
        var timeoutTicks = (long)(_settings().TimeoutMs * (Stopwatch.Frequency / 1000.0));
        foreach (var slot in AllSlots())
            slot.CheckTimeout(now, timeoutTicks);
    }

    /// <summary>Keeps a delete for replay when the backend returns; the oldest goes when the log is full.</summary>
    public void RememberDelete(ReadOnlySpan<byte> key)
    {
        lock (_missedDeletes)
        {
            if (_missedDeletes.Count >= _deleteLimit)
            {
                _missedDeletes.Dequeue();
                Metrics.DeletesDropped.Inc();
            }

            _missedDeletes.Enqueue(key.ToArray());
        }

        Metrics.DeletesRemembered.Inc();
    }

    public int MissedDeleteCount
    {
        get
        {
            lock (_missedDeletes)
                return _missedDeletes.Count;
        }
    }

    public void MarkDown(string reason)
    {
        if (Interlocked.Exchange(ref _up, 0) == 0)
            return;
        DownSinceTimestamp = Stopwatch.GetTimestamp();
        Metrics.MarkedDown();
        LogDown(_logger, Name, reason);
        CloseConnections(ReplyStatus.Down);
        Wake();
    }

    public void Dispose()
    {
        _stop.Cancel();
        CloseConnections(ReplyStatus.Down);
        _stop.Dispose();
        _wake.Dispose();
    }

    private void MarkUp()
    {
        if (Interlocked.Exchange(ref _up, 1) == 1)
            return;
        Volatile.Write(ref _timeoutsInRow, 0);
        Metrics.MarkedUp();
        LogUp(_logger, Name);
    }

    private void CountTimeout()
    {
        if (Interlocked.Increment(ref _timeoutsInRow) >= _settings().FailuresBeforeDown)
            MarkDown("timeouts in a row");
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
                _wake.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already awake, or shutting down.
        }
    }

    private void CloseConnections(ReplyStatus status)
    {
        // The slots are emptied under the lock, the connections closed after it: a close fails the requests in
        // flight, and what those resume (on a loop, inline) must not run under this backend's lock.
        var taken = new List<BackendConnection>();
        lock (_slotLock)
        {
            TakeAll(_slots, taken);
            foreach (var loop in _loopSlots)
                TakeAll(loop.Slots, taken);
        }

        // A loop's connection is closed by its loop, soon; the slot is free for a new one at once.
        foreach (var connection in taken)
            connection.Close(status);
    }

    private static void TakeAll(BackendConnection?[] slots, List<BackendConnection> taken)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } connection)
                taken.Add(connection);
            Volatile.Write(ref slots[i], null);
        }
    }

    /// <summary>Every connection open now, the shared ones and every loop's.</summary>
    private IEnumerable<BackendConnection> AllSlots()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is { } connection)
                yield return connection;
        }

        foreach (var loop in Volatile.Read(ref _loopSlots))
        {
            for (var i = 0; i < loop.Slots.Length; i++)
            {
                if (Volatile.Read(ref loop.Slots[i]) is { } connection)
                    yield return connection;
            }
        }
    }

    /// <summary>
    /// The connection for <paramref name="affinity"/>: on an epoll loop's thread one of that loop's own, elsewhere
    /// (heartbeats, the other transports, a retry after a failure) one of the shared ones.
    /// </summary>
    private BackendConnection GetConnection(int affinity)
    {
        var loop = EpollLoop.Current;
        var slots = loop is null ? _slots : SlotsOf(loop);
        var index = (int)((uint)affinity % (uint)slots.Length);
        // Every request passes here: an open connection is taken without the lock (both request threads wanted it).
        var open = Volatile.Read(ref slots[index]);
        if (open is not null && !open.IsClosed)
            return open;
        lock (_slotLock)
        {
            var slot = slots[index];
            if (slot is null || slot.IsClosed)
            {
                var timeout = TimeSpan.FromMilliseconds(Math.Max(_settings().TimeoutMs, 100));
                slot = loop is null
                    ? BackendConnection.Open(Address.Host, Address.Port, timeout, OnConnectionClosed)
                    : BackendConnection.OpenOnLoop(loop, Address.Host, Address.Port, OnConnectionClosed);
                Volatile.Write(ref slots[index], slot);
            }

            return slot;
        }
    }

    private BackendConnection?[] SlotsOf(EpollLoop loop)
    {
        // A router has a few loops: a scan is cheaper than any lookup. Checked again under the lock, which adds.
        if (Find(Volatile.Read(ref _loopSlots), loop) is { } found)
            return found;
        lock (_slotLock)
        {
            if (Find(_loopSlots, loop) is { } raced)
                return raced;
            var added = new LoopSlots(loop, _slots.Length);
            Volatile.Write(ref _loopSlots, [.. _loopSlots, added]);
            return added.Slots;
        }

        static BackendConnection?[]? Find(LoopSlots[] entries, EpollLoop loop)
        {
            foreach (var entry in entries)
            {
                if (entry.Loop == loop)
                    return entry.Slots;
            }

            return null;
        }
    }

    private void OnConnectionClosed(BackendConnection connection, ReplyStatus status, bool hadRequestsInFlight)
    {
        switch (status)
        {
            case ReplyStatus.Hard when hadRequestsInFlight:
                MarkDown("connection lost with requests in flight");
                break;
            case ReplyStatus.Hard or ReplyStatus.Protocol:
                // Closed while idle: probe now rather than at the next interval, so a dead node is found at once.
                Wake();
                break;
            case ReplyStatus.Timeout:
                CountTimeout();
                break;
            default:
                break;
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        var backoff = 1;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var settings = _settings();
                var delay = IsUp ? settings.IntervalMs : settings.IntervalMs * backoff;
                await _wake.WaitAsync(delay, stopping).ConfigureAwait(false);
                var status = await ProbeAsync(settings).ConfigureAwait(false);
                if (status == ReplyStatus.Ok)
                {
                    backoff = 1;
                    if (!IsUp)
                    {
                        await ReplayDeletesAsync().ConfigureAwait(false);
                        MarkUp();
                    }

                    continue;
                }

                if (!IsUp)
                {
                    backoff = Math.Min(backoff * 2, 8);
                    continue;
                }

                if (status == ReplyStatus.Hard)
                    MarkDown("heartbeat: connection refused or reset");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task<ReplyStatus> ProbeAsync(HeartbeatSettings settings)
    {
        var send = SendAsync("mn\r\n"u8.ToArray(), ReplyKind.Line, appendNoop: false, NextAffinity(), evenIfDown: true);
        var finished = await Task.WhenAny(send, Task.Delay(settings.TimeoutMs * 2)).ConfigureAwait(false);
        if (finished != send)
            return ReplyStatus.Timeout;
        var pending = await send.ConfigureAwait(false);
        using var reply = pending.Reply;
        var status = pending.Status;
        if (status != ReplyStatus.Ok)
            return status;
        return reply.Span.SequenceEqual("MN\r\n"u8) ? ReplyStatus.Ok : ReplyStatus.Protocol;
    }

    private async Task ReplayDeletesAsync()
    {
        byte[][] keys;
        lock (_missedDeletes)
        {
            keys = [.. _missedDeletes];
            _missedDeletes.Clear();
        }

        var sends = new List<Task<PendingReply>>(keys.Length);
        foreach (var key in keys)
        {
            var request = new byte[key.Length + 9];
            "delete "u8.CopyTo(request);
            key.CopyTo(request.AsSpan(7));
            "\r\n"u8.CopyTo(request.AsSpan(7 + key.Length));
            sends.Add(SendAsync(request, ReplyKind.Line, appendNoop: false, affinity: 0, evenIfDown: true));
        }

        foreach (var send in sends)
        {
            var reply = await send.ConfigureAwait(false);
            reply.Reply.Dispose();
            Metrics.DeletesReplayed.Inc();
        }
    }

    /// <summary>One loop's connections to this backend, as many as the shared ones.</summary>
    private sealed class LoopSlots(EpollLoop loop, int count)
    {
        public EpollLoop Loop { get; } = loop;

        public BackendConnection?[] Slots { get; } = new BackendConnection?[count];
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Backend {Backend} marked down: {Reason}")]
    private static partial void LogDown(ILogger logger, string backend, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Backend {Backend} is up again")]
    private static partial void LogUp(ILogger logger, string backend);
}
