using System.Buffers;
using System.Threading.Tasks.Sources;
using CacheOperator.Server.Transport;

namespace CacheOperator.Router.Backends;

/// <summary>One request in flight on a backend connection: how its reply is framed, and where the reply goes.</summary>
/// <remarks>
/// A successful reply resumes its waiter on the thread that received it (continuations run synchronously), so
/// the client session writes its reply from the backend's receive loop with no thread-pool hop. The waiters never
/// block, which is what makes that safe. Failures resume waiters on the thread pool instead: they come from
/// <see cref="BackendConnection.Close"/>, which may run under a backend's locks.
/// <para>
/// A streamed reply (a multi-key get, whose reply has no bound) is not waited for whole: the receive loop hands
/// it over one VALUE block at a time (<see cref="Append"/>) and the consumer takes what has arrived
/// (<see cref="TakeAsync"/>). Once <see cref="StreamBudget"/> bytes wait untaken, the receive loop stops reading
/// the backend until the consumer takes them: the client's pace reaches the backend through TCP, and the router
/// holds at most the budget plus one block per streamed reply.
/// </para>
/// </remarks>
internal sealed class PendingReply : IValueTaskSource<ReplyStatus>
{
    /// <summary>Bytes of a streamed reply the receive loop may hand over before it waits for the consumer.</summary>
    public const int StreamBudget = 256 * 1024;

    private ManualResetValueTaskSourceCore<ReplyStatus> _core;
    private int _completed;

    /// <summary>Guards the streamed reply's buffer and waiters; null for a reply delivered whole.</summary>
    private readonly Lock? _stream;
    private TaskCompletionSource? _dataWaiter;
    private TaskCompletionSource? _roomWaiter;
    private bool _ended;
    private bool _abandoned;

    public PendingReply(ReplyKind kind, bool streamed = false)
    {
        Kind = kind;
        if (streamed)
            _stream = new Lock();
    }

    public ReplyKind Kind { get; }

    public bool IsStreamed => _stream is not null;

    /// <summary>
    /// The reply's bytes, exactly as the backend sent them; owned by whoever awaited <see cref="WaitAsync"/>. For a
    /// streamed reply, the bytes not yet taken.
    /// </summary>
    public PooledBuffer Reply { get; private set; } = new();

    /// <summary>When the request was written, for the timeout and the latency histogram; a streamed reply moves it on with each block.</summary>
    public long StartedTimestamp { get; set; }

    /// <summary>How the request ended; <see cref="ReplyStatus.Pending"/> until then.</summary>
    public ReplyStatus Status { get; private set; }

    /// <summary>Waits for the reply; may be awaited once.</summary>
    public ValueTask<ReplyStatus> WaitAsync() => new(this, _core.Version);

    /// <summary>Completes the request; the first call wins. The waiter resumes on this thread when it is Ok.</summary>
    public void Complete(ReplyStatus status)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
            return;
        Status = status;
        if (_stream is not null)
        {
            TaskCompletionSource? data, room;
            lock (_stream)
            {
                _ended = true;
                data = _dataWaiter;
                room = _roomWaiter;
                _dataWaiter = _roomWaiter = null;
            }

            // A consumer on a loop is resumed inline by an Ok end (its own loop's receive); a failure comes from
            // Close, which may run under locks, so its consumer resumes on the pool, as whole replies' waiters do.
            if (data is not null && status != ReplyStatus.Ok)
                ThreadPool.UnsafeQueueUserWorkItem(static waiter => waiter.TrySetResult(), data, preferLocal: false);
            else
                data?.TrySetResult();
            room?.TrySetResult();
        }

        _core.RunContinuationsAsynchronously = status != ReplyStatus.Ok;
        _core.SetResult(status);
    }

    /// <summary>
    /// Hands over the next whole part of a streamed reply (receive loop only). Returns a task to await before
    /// reading the backend again when the consumer has fallen <see cref="StreamBudget"/> behind, else null.
    /// </summary>
    public Task? Append(in ReadOnlySequence<byte> part)
    {
        TaskCompletionSource? data;
        Task? room = null;
        lock (_stream!)
        {
            if (_abandoned)
                return null;
            Reply.Write(part);
            data = _dataWaiter;
            _dataWaiter = null;
            if (Reply.Length >= StreamBudget && !_ended)
            {
                _roomWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _roomWaiter.Task;
            }
        }

        data?.TrySetResult();
        return room;
    }

    /// <summary>
    /// The streamed bytes that have arrived (whole parts), waiting for some if none have; null once the reply has
    /// ended and everything was taken (see <see cref="Status"/> for how it ended). The caller owns the buffer.
    /// </summary>
    public async ValueTask<PooledBuffer?> TakeAsync()
    {
        while (true)
        {
            Task wait;
            lock (_stream!)
            {
                if (Reply.Length > 0)
                {
                    var taken = Reply;
                    Reply = new PooledBuffer(Math.Min(taken.Length, StreamBudget));
                    // Continuations run on the pool: the receive loop does not resume under this lock.
                    _roomWaiter?.TrySetResult();
                    _roomWaiter = null;
                    return taken;
                }

                if (_ended)
                    return null;
                // On an epoll loop the parts are handed over by that same loop (its backend connections are its own),
                // so the consumer goes on inline, as a whole reply's waiter does; elsewhere on the pool.
                _dataWaiter ??= new TaskCompletionSource(EpollLoop.Current is null
                    ? TaskCreationOptions.RunContinuationsAsynchronously
                    : TaskCreationOptions.None);
                wait = _dataWaiter.Task;
            }

            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>The consumer is gone: parts still to come are dropped, and the receive loop never waits for it.</summary>
    public void Abandon()
    {
        TaskCompletionSource? room;
        lock (_stream!)
        {
            _abandoned = true;
            Reply.Dispose();
            room = _roomWaiter;
            _roomWaiter = null;
        }

        room?.TrySetResult();
    }

    ReplyStatus IValueTaskSource<ReplyStatus>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReplyStatus>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ReplyStatus>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
