using System.Threading.Tasks.Sources;

namespace CacheOperator.Router.Backends;

/// <summary>One request in flight on a backend connection: how its reply is framed, and where the reply goes.</summary>
/// <remarks>
/// A successful reply resumes its waiter on the thread that received it (continuations run synchronously), so
/// the client session writes its reply from the backend's receive loop with no thread-pool hop. The waiters never
/// block, which is what makes that safe. Failures resume waiters on the thread pool instead: they come from
/// <see cref="BackendConnection.Close"/>, which may run under a backend's locks.
/// </remarks>
internal sealed class PendingReply : IValueTaskSource<ReplyStatus>
{
    private ManualResetValueTaskSourceCore<ReplyStatus> _core;
    private int _completed;

    public PendingReply(ReplyKind kind) => Kind = kind;

    public ReplyKind Kind { get; }

    /// <summary>The reply's bytes, exactly as the backend sent them; owned by whoever awaited <see cref="WaitAsync"/>.</summary>
    public PooledBuffer Reply { get; } = new();

    /// <summary>When the request was written, for the timeout and the latency histogram.</summary>
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
        _core.RunContinuationsAsynchronously = status != ReplyStatus.Ok;
        _core.SetResult(status);
    }

    ReplyStatus IValueTaskSource<ReplyStatus>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReplyStatus>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ReplyStatus>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
