namespace CacheOperator.LoadGen;

/// <summary>Counters one worker thread owns; merged after the threads have stopped.</summary>
internal sealed class WorkerCounters
{
    /// <summary>Requests answered while measuring.</summary>
    public long Operations { get; set; }

    public long Gets { get; set; }

    public long Hits { get; set; }

    public long Sets { get; set; }

    /// <summary>Replies that were neither the expected success nor a miss (SERVER_ERROR, ERROR, ...).</summary>
    public long Errors { get; set; }

    /// <summary>Get hits whose value was not the one last written (verify mode).</summary>
    public long VerifyFailures { get; set; }

    /// <summary>Requests answered in any phase, warm-up included (for CPU per request).</summary>
    public long AllOperations { get; set; }

    public void Add(WorkerCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Operations += other.Operations;
        Gets += other.Gets;
        Hits += other.Hits;
        Sets += other.Sets;
        Errors += other.Errors;
        VerifyFailures += other.VerifyFailures;
        AllOperations += other.AllOperations;
    }
}
