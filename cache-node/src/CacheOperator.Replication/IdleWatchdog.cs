namespace CacheOperator.Replication;

/// <summary>Cancels its token when no data has arrived for a while (a source that hangs without closing).</summary>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly TimeSpan _timeout;

    public IdleWatchdog(TimeSpan timeout, CancellationToken outer)
    {
        _timeout = timeout;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _cancellation.CancelAfter(timeout);
        Outer = outer;
    }

    public CancellationToken Token => _cancellation.Token;

    private CancellationToken Outer { get; }

    /// <summary>True when the watchdog, not the caller, ended the stream.</summary>
    public bool Expired => _cancellation.IsCancellationRequested && !Outer.IsCancellationRequested;

    /// <summary>Data arrived: push the deadline back.</summary>
    public void Feed()
    {
        if (!_cancellation.IsCancellationRequested)
            _cancellation.CancelAfter(_timeout);
    }

    public void Dispose() => _cancellation.Dispose();
}
