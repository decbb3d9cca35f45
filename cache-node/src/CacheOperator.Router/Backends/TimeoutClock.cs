namespace CacheOperator.Router.Backends;

/// <summary>
/// Decides, at each tick of the router's timeout check, whether request ages may be judged now. A tick that comes
/// much later than its period means the router itself did not run (CPU starvation, a GC pause, a stopped process):
/// the replies that arrived meanwhile are still unread, so judging then would blame the backends for the router's
/// own stall. Such a tick is skipped, but never two in a row, so a hung backend is still found while the router
/// stays starved.
/// </summary>
internal sealed class TimeoutClock(long periodTicks)
{
    /// <summary>A tick later than this many periods after the previous one follows a stall.</summary>
    private const int StallPeriods = 4;

    private long _previous = -1;
    private bool _skippedPrevious;

    /// <summary>Ticks skipped because the router had stalled.</summary>
    public long Stalls { get; private set; }

    /// <summary>Records a tick at <paramref name="now"/>; true when request timeouts may be judged at it.</summary>
    public bool Tick(long now)
    {
        var previous = _previous;
        _previous = now;
        var stalled = previous >= 0 && now - previous > StallPeriods * periodTicks;
        if (!stalled || _skippedPrevious)
        {
            _skippedPrevious = false;
            return true;
        }

        _skippedPrevious = true;
        Stalls++;
        return false;
    }
}
