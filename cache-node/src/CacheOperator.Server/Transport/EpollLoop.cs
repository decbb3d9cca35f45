using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Transport;

/// <summary>
/// One I/O thread of the epoll transport, as one of memcached's worker threads: its own epoll instance, the
/// connections it was given, and nothing else. Every receive, session step and send of those connections runs on
/// this thread, so a connection's state needs no lock. Other threads reach it only through <see cref="Post"/>.
/// </summary>
/// <remarks>
/// The router runs its sessions and its backend connections on the same loops (<see cref="Attach"/>): a request and
/// its backend's reply are then served by one thread, and the backend requests queued while the loop serves one
/// round of events go out together once it has (<see cref="AfterEvents"/>), as mcrouter's proxy threads do.
/// </remarks>
public sealed unsafe partial class EpollLoop : IDisposable
{
    [ThreadStatic]
    private static EpollLoop? _current;

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

    /// <summary>Guards the wake-up descriptor against <see cref="Dispose"/>: a signal after it closed would hit a reused number.</summary>
    private readonly Lock _wakeLock = new();
    private List<Action> _afterEvents = [];
    private List<Action> _runningAfterEvents = [];

    /// <summary>Set once the thread has exited: posted work then runs on the caller, which nothing else races.</summary>
    private bool _stopped;
    private readonly Stack<int> _freeSlots = new();
    private EpollConnection?[] _slots = new EpollConnection?[16];

    /// <summary>Connections whose turn ended with bytes perhaps unread; resumed after the current events.</summary>
    private List<EpollConnection> _deferred = [];
    private List<EpollConnection> _resuming = [];
    private int _usedSlots;
    private uint _generation;
    private volatile bool _exit;

    /// <summary>How long the loop polls for events before it sleeps in epoll_wait (Stopwatch ticks; 0: never polls).</summary>
    private readonly long _pollTicks;

    /// <param name="logger">Where failures of the loop and its connections are logged.</param>
    /// <param name="poll">
    /// How long the loop keeps polling for events once it has none before it sleeps (see <see cref="Wait"/>);
    /// zero sleeps at once.
    /// </param>
    internal EpollLoop(ILogger logger, TimeSpan poll = default)
    {
        _logger = logger;
        _pollTicks = (long)(poll.TotalSeconds * Stopwatch.Frequency);
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

    /// <summary>The loop whose thread this is; null on any other thread.</summary>
    public static EpollLoop? Current => _current;

    /// <summary>Whether the calling thread is this loop's.</summary>
    public bool IsCurrent => _current == this;

    /// <summary>
    /// Whether the caller may touch the loop's connections now: it is on the loop's thread, or the loop has
    /// stopped (then nothing else does). Otherwise it goes through <see cref="Post"/>.
    /// </summary>
    public bool MayRunHere => _current == this || Volatile.Read(ref _stopped);

    /// <summary>
    /// Runs <paramref name="action"/> on the loop's thread, soon. Once the loop has stopped it runs on the caller at
    /// once: nothing is left to race with, and what it releases (a socket, a waiter) is not lost.
    /// </summary>
    public void Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_wakeLock)
        {
            if (!_stopped)
            {
                _posted.Enqueue(action);
                EpollNative.Signal(_wake);
                return;
            }
        }

        action();
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the loop has served the events it is serving, before it waits again; on
    /// the loop's thread only. Work queued by many connections in one round (a router's backend sends) goes out
    /// together then.
    /// </summary>
    public void AfterEvents(Action action)
    {
        Debug.Assert(IsCurrent, "AfterEvents is for the loop's own thread");
        _afterEvents.Add(action);
    }

    /// <summary>Awaited, continues on the loop's thread (at once when already there).</summary>
    public LoopSwitch SwitchTo() => new(this);

    /// <summary>
    /// Serves <paramref name="socket"/> (connected, or connecting without blocking) on this loop through the
    /// transport's reader and writer; on the loop's thread only. The caller owns the socket: it calls
    /// <see cref="IEpollPipe.Detach"/>, then disposes it.
    /// </summary>
    public IEpollPipe Attach(Socket socket, long maxReadBufferSize)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Debug.Assert(IsCurrent, "Attach is for the loop's own thread");
        socket.Blocking = false;
        return new EpollConnection(this, socket, maxReadBufferSize);
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
        if (_stopped || !Holds(connection))
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

    private void Run()
    {
        _current = this;
        var events = (byte*)NativeMemory.Alloc(MaxEvents, (nuint)EpollNative.EventSize);
        try
        {
            while (!_exit)
            {
                var count = Wait(events, out var error);
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
                RunAfterEvents();
            }
        }
        finally
        {
            NativeMemory.Free(events);
            // Whatever ended the thread (Dispose, or epoll_wait failing), work posted from now on runs on its
            // caller, and work already posted runs here: no session or connection of this loop waits for a thread
            // that is gone.
            lock (_wakeLock)
                Volatile.Write(ref _stopped, true);
            RunPosted();
        }
    }

    /// <summary>
    /// Collects ready events. With connections to resume it only collects what is ready: they must not wait for a
    /// new event. Otherwise it polls for up to the poll time before it sleeps: a sleeping thread is woken by the
    /// next event through the scheduler, and on a virtual machine waking an idle core costs about 30 µs per hop
    /// (bench/results/router-vs-direct-own-core.md), more than a router's whole work for a request. Polling
    /// spends the core instead, so it is for loops with cores of their own.
    /// </summary>
    private int Wait(byte* events, out int error)
    {
        if (_deferred.Count > 0)
            return EpollNative.Wait(_epoll, events, MaxEvents, 0, out error);
        if (_pollTicks > 0)
        {
            var until = Stopwatch.GetTimestamp() + _pollTicks;
            do
            {
                var ready = EpollNative.Wait(_epoll, events, MaxEvents, 0, out error);
                if (ready != 0)
                    return ready;
            }
            while (!_exit && Stopwatch.GetTimestamp() < until);
        }

        return EpollNative.Wait(_epoll, events, MaxEvents, -1, out error);
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

    private void RunAfterEvents()
    {
        // What an action queues (a send failing completes a waiter, which queues more) runs in this same round.
        while (_afterEvents.Count > 0)
        {
            (_runningAfterEvents, _afterEvents) = (_afterEvents, _runningAfterEvents);
            foreach (var action in _runningAfterEvents)
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

            _runningAfterEvents.Clear();
        }
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
        lock (_wakeLock)
        {
            EpollNative.Close(_wake);
            EpollNative.Close(_epoll);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "epoll_wait failed (errno {Error}): this I/O thread stops")]
    private static partial void LogWaitFailed(ILogger logger, int error);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "a connection failed on its I/O thread; it is closed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);
}
