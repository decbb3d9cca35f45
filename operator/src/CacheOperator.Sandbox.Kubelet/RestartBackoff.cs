namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Crash-loop backoff at sandbox scale: 1 s doubling to 30 s (the kubelet's 10 s to 5 min), reset once a run
/// has lasted twice the cap.
/// </summary>
public sealed class RestartBackoff(TimeSpan initial, TimeSpan max)
{
    private int _step;

    public static RestartBackoff Default() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>The delay before the next start, given how long the run that just ended lasted.</summary>
    public TimeSpan Next(TimeSpan lastRun)
    {
        if (lastRun >= max * 2)
            _step = 0;
        var delay = TimeSpan.FromTicks(Math.Min(max.Ticks, initial.Ticks << Math.Min(_step, 30)));
        _step++;
        return delay;
    }
}
