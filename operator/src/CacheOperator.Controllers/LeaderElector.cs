using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Controllers;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, client-go's algorithm: create the lease when absent; take it
/// over when its holder has not changed it for its leaseDurationSeconds — judged by when this replica last saw it
/// change, never by the (possibly skewed) renewTime; every write is a PUT with the resourceVersion read, so of two
/// racing replicas one gets 409 and backs off. The leader renews every RetryPeriod and stops leading when it could
/// not renew within RenewDeadline; on a clean stop it releases the lease.
/// </summary>
public sealed class LeaderElector
{
    private readonly IKubernetesClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IGauge? _leaderGauge;
    private readonly string _leaseName;

    /// <summary>The lease's resourceVersion when this replica last saw it change, and when that was.</summary>
    private string? _observedResourceVersion;
    private DateTimeOffset _observedTime;

    /// <summary>The lease as this replica last wrote it (for release).</summary>
    private Lease? _ownLease;
    private volatile bool _isLeader;
    private string? _observedLeader;

    public LeaderElector(IKubernetesClient client, LeaderElectionOptions options, IMetricsFactory? metrics = null,
        ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _leaseName = $"{options.LeaseNamespace}/{options.LeaseName}";
        _leaderGauge = metrics?.Gauge("cacheoperator_leader", "1 while this replica holds the leader lease, else 0.",
            ("lease", _leaseName));
        _leaderGauge?.Set(0);
    }

    public string Identity => _options.Identity;

    public bool IsLeader => _isLeader;

    /// <summary>The holder this replica last saw in the lease (null before the first read).</summary>
    public string? ObservedLeader => Volatile.Read(ref _observedLeader);

    /// <summary>
    /// Waits to become the leader, then runs <paramref name="leading"/> with a token cancelled when leadership
    /// ends, renewing meanwhile. Returns once <paramref name="leading"/> has finished after leadership ended
    /// (or at once when cancelled before leading).
    /// </summary>
    public async Task<LeadershipEnd> RunAsync(Func<CancellationToken, Task> leading, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(leading);
        if (!await AcquireAsync(ct).ConfigureAwait(false))
            return LeadershipEnd.Cancelled;

        using var leadingCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task work = Task.Run(() => leading(leadingCts.Token), CancellationToken.None);
        LeadershipEnd end = await RenewLoopAsync(work, ct).ConfigureAwait(false);
        if (end == LeadershipEnd.Lost)
            SetLeader(false);
        await leadingCts.CancelAsync().ConfigureAwait(false);
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leadingCts.IsCancellationRequested)
        {
            // The work stopped because we asked it to.
        }
        finally
        {
            if (end != LeadershipEnd.Lost)
                await ReleaseAsync().ConfigureAwait(false);
        }
        return end;
    }

    private async Task<bool> AcquireAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(ct).ConfigureAwait(false))
            {
                SetLeader(true);
                return true;
            }
            // client-go jitters the acquire period by up to 20% so replicas do not retry in lockstep.
            TimeSpan wait = _options.RetryPeriod * (1 + (0.2 * Random.Shared.NextDouble()));
            if (!await DelayAsync(wait, ct).ConfigureAwait(false))
                return false;
        }
        return false;
    }

    private async Task<LeadershipEnd> RenewLoopAsync(Task work, CancellationToken ct)
    {
        while (true)
        {
            await Task.WhenAny(work, Task.Delay(_options.RetryPeriod, _time, ct)).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
                return LeadershipEnd.Cancelled;
            if (work.IsCompleted)
                return LeadershipEnd.WorkEnded;

            DateTimeOffset deadline = _time.GetUtcNow() + _options.RenewDeadline;
            bool renewed = false;
            while (!renewed)
            {
                TimeSpan left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                    break;
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(left);
                renewed = await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                    return LeadershipEnd.Cancelled;
                if (!renewed)
                {
                    left = deadline - _time.GetUtcNow();
                    if (left <= TimeSpan.Zero
                        || !await DelayAsync(left < _options.RetryPeriod ? left : _options.RetryPeriod, ct).ConfigureAwait(false))
                        break;
                }
            }
            if (ct.IsCancellationRequested)
                return LeadershipEnd.Cancelled;
            if (!renewed)
                return LeadershipEnd.Lost;
        }
    }

    /// <summary>One round of client-go's tryAcquireOrRenew. Errors count as "not now".</summary>
    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            int durationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
            Lease? lease = await _client.GetAsync<Lease>(_options.LeaseNamespace, _options.LeaseName, ct).ConfigureAwait(false);
            if (lease is null)
            {
                Lease created = await _client.CreateAsync(new Lease
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
                    Spec = new LeaseSpec
                    {
                        HolderIdentity = _options.Identity,
                        LeaseDurationSeconds = durationSeconds,
                        AcquireTime = now,
                        RenewTime = now,
                        LeaseTransitions = 0,
                    },
                }, ct).ConfigureAwait(false);
                Observe(created, _time.GetUtcNow());
                _ownLease = created;
                return true;
            }

            if (lease.Metadata.ResourceVersion != _observedResourceVersion)
                Observe(lease, now);
            string? holder = lease.Spec.HolderIdentity;
            bool heldByUs = holder == _options.Identity;
            if (!string.IsNullOrEmpty(holder) && !heldByUs
                && _observedTime + TimeSpan.FromSeconds(lease.Spec.LeaseDurationSeconds ?? durationSeconds) > now)
                return false;

            if (!heldByUs)
            {
                lease.Spec.AcquireTime = now;
                lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
            }
            lease.Spec.HolderIdentity = _options.Identity;
            lease.Spec.LeaseDurationSeconds = durationSeconds;
            lease.Spec.RenewTime = now;
            Lease updated = await _client.ReplaceAsync(lease, ct).ConfigureAwait(false);
            Observe(updated, _time.GetUtcNow());
            _ownLease = updated;
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // a failed attempt (409, 5xx, connection) is retried; only the deadline decides
        catch (Exception e)
#pragma warning restore CA1031
        {
            ControllersLog.AttemptFailed(_logger, e, _leaseName);
            return false;
        }
    }

    private void Observe(Lease lease, DateTimeOffset at)
    {
        _observedResourceVersion = lease.Metadata.ResourceVersion;
        _observedTime = at;
        string? leader = lease.Spec.HolderIdentity;
        string? previous = Interlocked.Exchange(ref _observedLeader, leader);
        if (previous != leader && !string.IsNullOrEmpty(leader))
            ControllersLog.NewLeader(_logger, _leaseName, leader);
    }

    /// <summary>Hands the lease back: no holder, 1 s duration, so the next candidate takes it at its next attempt.</summary>
    private async Task ReleaseAsync()
    {
        Lease? lease = _ownLease;
        if (!_isLeader || !_options.ReleaseOnCancel || lease is null)
        {
            SetLeader(false);
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(_options.RenewDeadline);
            DateTimeOffset now = _time.GetUtcNow();
            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.AcquireTime = now;
            lease.Spec.RenewTime = now;
            _ownLease = await _client.ReplaceAsync(lease, timeout.Token).ConfigureAwait(false);
            ControllersLog.Released(_logger, _leaseName, _options.Identity);
        }
#pragma warning disable CA1031 // releasing is a courtesy: on failure the lease simply expires
        catch (Exception e)
#pragma warning restore CA1031
        {
            ControllersLog.ReleaseFailed(_logger, e, _leaseName);
        }
        finally
        {
            SetLeader(false);
        }
    }

    private void SetLeader(bool leader)
    {
        if (_isLeader == leader)
            return;
        _isLeader = leader;
        _leaderGauge?.Set(leader ? 1 : 0);
        if (leader)
            ControllersLog.BecameLeader(_logger, _leaseName, _options.Identity);
        else
            ControllersLog.StoppedLeading(_logger, _leaseName, _options.Identity);
    }

    /// <returns>False when cancelled.</returns>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
