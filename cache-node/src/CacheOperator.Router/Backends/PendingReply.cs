using System.Diagnostics;

namespace CacheOperator.Router.Backends;

/// <summary>One request in flight on a backend connection: how its reply is framed, and where the reply goes.</summary>
internal sealed class PendingReply
{
    private readonly TaskCompletionSource<ReplyStatus> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingReply(ReplyKind kind) => Kind = kind;

    public ReplyKind Kind { get; }

    /// <summary>The reply's bytes, exactly as the backend sent them; owned by whoever awaited <see cref="Task"/>.</summary>
    public PooledBuffer Reply { get; } = new();

    /// <summary>When the request was written, for the timeout and the latency histogram.</summary>
    public long StartedTimestamp { get; set; } = Stopwatch.GetTimestamp();

    public Task<ReplyStatus> Task => _done.Task;

    public void Complete(ReplyStatus status) => _done.TrySetResult(status);
}
