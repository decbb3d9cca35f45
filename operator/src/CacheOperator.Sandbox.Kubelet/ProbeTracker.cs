using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Turns a stream of probe results into a state with Kubernetes' thresholds: successThreshold consecutive
/// passes make it true, failureThreshold consecutive failures make it false.
/// </summary>
public sealed class ProbeTracker(Probe probe, bool initial)
{
    private readonly int _successThreshold = Math.Max(1, probe.SuccessThreshold ?? 1);
    private readonly int _failureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
    private int _successes;
    private int _failures;

    public bool State { get; private set; } = initial;

    public TimeSpan InitialDelay { get; } = TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0));
    public TimeSpan Period { get; } = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));

    /// <summary>Records one result; true when the state changed.</summary>
    public bool Record(bool passed)
    {
        if (passed)
        {
            _failures = 0;
            _successes++;
            if (!State && _successes >= _successThreshold)
            {
                State = true;
                return true;
            }
        }
        else
        {
            _successes = 0;
            _failures++;
            if (State && _failures >= _failureThreshold)
            {
                State = false;
                return true;
            }
        }

        return false;
    }
}
