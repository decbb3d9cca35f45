using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Transport;

/// <summary>
/// One I/O thread of the epoll transport, as one of memcached's worker threads: its own epoll instance, the
/// connections it was given, and nothing else. Every receive, session step and send of those connections runs on
/// this thread, so a connection's state needs no lock. Other threads reach it only through <see cref="Post"/>.
/// </summary>
internal sealed unsafe partial class EpollLoop : IDisposable
{
    /// <summary>The name of every loop thread, as /proc shows it (15 characters at most).</summary>
    internal const string ThreadName = "cache-node io";

    private const int MaxEvents = 256;

    /// <summary>The data of the wake-up eventfd's events; connections' tokens never reach it (slot and generation).</summary>
    private const ulong WakeToken = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Stack<int> _freeSlots = new();
    private EpollConnection?[] _slots = new EpollConnection?[16];

    /// <summary>Connections whose turn ended with bytes perhaps unread; resumed after the current events.</summary>
    private List<EpollConnection> _deferred = [];
    private List<EpollConnection> _resuming = [];
    private int _usedSlots;
    private uint _generation;
    private volatile bool _exit;

    public EpollLoop(ILogger logger)
    {
        _logger = logger;
        _epoll = EpollNative.CreateEpoll();
        try
        {
            _wake = EpollNative.CreateEventFd();
            EpollNative.Add(_epoll, _wake, EpollNative.EpollIn, WakeToken);
        }
        catch
        {
            EpollNative.Close(_epoll);
            throw;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="action"/> on the loop's thread, soon.</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        EpollNative.Signal(_wake);
    }

    /// <summary>Starts watching <paramref name="connection"/>; on the loop's thread only.</summary>
    internal ulong Add(EpollConnection connection, int fd)
    {
        int slot;
        if (!_freeSlots.TryPop(out slot))
        {
            slot = _usedSlots;
            if (slot == _slots.Length)
                Array.Resize(ref _slots, _slots.Length * 2);
            _usedSlots++;
        }

        // The generation tells an event for a connection that has gone from one for the slot's next connection.
        var token = ((ulong)++_generation << 32) | (uint)slot;
        try
        {
            EpollNative.Add(_epoll, fd, EpollNative.EpollIn | EpollNative.EpollOut | EpollNative.EpollRdHup | EpollNative.EpollEt, token);
        }
        catch
        {
            _freeSlots.Push(slot);
            throw;
        }

        _slots[slot] = connection;
        return token;
    }

    /// <summary>Resumes <paramref name="connection"/> once the events already collected are served; on the loop's thread only.</summary>
    internal void Defer(EpollConnection connection) => _deferred.Add(connection);

    /// <summary>Stops watching a connection before its socket closes; on the loop's thread only.</summary>
    internal void Remove(EpollConnection connection, int fd)
    {
        if (!Holds(connection))
            return;
        EpollNative.Remove(_epoll, fd);
        var slot = Slot(connection.Token);
        _slots[slot] = null;
        _freeSlots.Push(slot);
    }

    /// <summary>The slot a token names (its low half; the high half is the slot's generation).</summary>
    private static int Slot(ulong token) => (int)(uint)token;

    /// <summary>Whether <paramref name="connection"/> is still the one in its slot (not closed since).</summary>
    private bool Holds(EpollConnection connection) => _slots[Slot(connection.Token)] == connection;

    /// <summary>Every connection still open; on the loop's thread only.</summary>
    internal IEnumerable<EpollConnection> Connections()
    {
        foreach (var connection in _slots)
        {
            if (connection is not null)
                yield return connection;
        }
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc(MaxEvents, (nuint)EpollNative.EventSize);
        try
        {
            while (!_exit)
            {
                // With connections to resume, only collect what is ready: they must not wait for a new event.
                var count = EpollNative.Wait(_epoll, events, MaxEvents, _deferred.Count > 0 ? 0 : -1, out var error);
                if (count < 0)
                {
                    if (error == EpollNative.ErrorInterrupted)
                        continue;
                    LogWaitFailed(_logger, error);
                    return;
                }

                for (var i = 0; i < count; i++)
                {
                    var token = EpollNative.EventData(events, i);
                    if (token == WakeToken)
                    {
                        EpollNative.Drain(_wake);
                        RunPosted();
                        continue;
                    }

                    var slot = Slot(token);
                    if (slot < _slots.Length && _slots[slot] is { } connection && connection.Token == token)
                        Dispatch(connection, EpollNative.EventFlags(events, i));
                }

                ResumeDeferred();
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    private void ResumeDeferred()
    {
        if (_deferred.Count == 0)
            return;
        // Those deferred again while resuming wait for the next round.
        (_resuming, _deferred) = (_deferred, _resuming);
        // As if the socket had reported bytes: the connection receives what is left, within a new turn.
        foreach (var connection in _resuming)
        {
            if (Holds(connection))
                Dispatch(connection, EpollNative.EpollIn);
        }

        _resuming.Clear();
    }

    private void Dispatch(EpollConnection connection, uint events)
    {
        try
        {
            connection.OnEvents(events);
        }
        catch (Exception ex)
        {
            // A fault in one connection must not stop the thread serving the others.
            LogConnectionFailed(_logger, ex);
            connection.Abort();
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var action))
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                LogConnectionFailed(_logger, ex);
            }
        }
    }

    /// <summary>Set by the first <see cref="Dispose"/>: the descriptors are closed once, never again.</summary>
    private int _disposed;

    public void Dispose()
    {
        // A second close would close whatever the process has opened since under the same numbers.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _exit = true;
        EpollNative.Signal(_wake);
        if (!_thread.Join(TimeSpan.FromSeconds(5)))
            return; // Leave the descriptors open rather than close them under a thread still using them.
        EpollNative.Close(_wake);
        EpollNative.Close(_epoll);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "epoll_wait failed (errno {Error}): this I/O thread stops")]
    private static partial void LogWaitFailed(ILogger logger, int error);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "a connection failed on its I/O thread; it is closed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);
}
