using System.Threading.Tasks.Sources;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The one operation of a kind (a read, or a flush) that a connection of the epoll transport may have waiting,
/// reused for every wait. It is completed on the loop's thread and runs its continuation there, inline: that is
/// how a session resumes on its loop with no hand-off.
/// </summary>
internal sealed class LoopCompletion<T> : IValueTaskSource<T>
{
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = false };

    /// <summary>Whether an operation is waiting for <see cref="Complete"/>.</summary>
    public bool IsWaiting { get; private set; }

    /// <summary>Starts a wait; the caller returns the task to its awaiter.</summary>
    public ValueTask<T> Wait()
    {
        IsWaiting = true;
        _core.Reset();
        return new ValueTask<T>(this, _core.Version);
    }

    /// <summary>Ends the wait with <paramref name="result"/>, running the awaiter's continuation on this thread.</summary>
    public void Complete(T result)
    {
        IsWaiting = false;
        _core.SetResult(result);
    }

    T IValueTaskSource<T>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<T>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<T>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
