namespace CacheOperator.Controllers;

/// <summary>Which Lease to compete for, as whom, and the timings (controller-runtime's defaults).</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseNamespace { get; init; }
    public required string LeaseName { get; init; }

    /// <summary>This replica's name in the lease (the pod name).</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait, from when they last saw the lease change, before taking it over.
    /// Written to the lease in whole seconds.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading. Must be shorter than
    /// <see cref="LeaseDuration"/> minus <see cref="RetryPeriod"/>, so the old leader stops before anyone takes over.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Between attempts to acquire, and between renewals.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On a clean shutdown, hand the lease back (empty holder, 1 s duration) so another replica takes
    /// over at once instead of after <see cref="LeaseDuration"/>.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LeaseNamespace);
        ArgumentException.ThrowIfNullOrEmpty(LeaseName);
        ArgumentException.ThrowIfNullOrEmpty(Identity);
        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod || LeaseDuration <= RenewDeadline)
            throw new ArgumentException("leader election needs 0 < RetryPeriod < RenewDeadline < LeaseDuration");
        if (LeaseDuration < TimeSpan.FromSeconds(1))
            throw new ArgumentException("a lease lasts whole seconds: LeaseDuration must be at least 1 s");
    }
}
