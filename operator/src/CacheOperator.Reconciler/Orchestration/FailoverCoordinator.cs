using System.Collections.Concurrent;
using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Metrics;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// The reconciler's side of failover: turns the pods into the planner's input, promotes replicas before the ring
/// names them, and reports what was done once the ring is stored. Everything that decides lives in members.json
/// (including which recovered standbys are still to be emptied) and in the replicas' streams as the nodes report
/// them; the only memory here is when a pod without a Ready condition was first seen not ready, and losing it (an
/// operator restart) only delays detection by one threshold.
/// </summary>
public sealed partial class FailoverCoordinator
{
    public const string ReasonSuspended = "FailoverSuspended";
    public const string ReasonNoTarget = "NoFailoverTarget";

    /// <summary>How soon a cluster with a not-ready primary is looked at again, so detection keeps to its threshold.</summary>
    public static readonly TimeSpan WatchRequeue = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a running cluster is reconciled (and its nodes probed) when nothing else asks sooner: a frozen
    /// primary is seen failing its probe within this, then watched every <see cref="WatchRequeue"/>.
    /// </summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);

    private static readonly double[] PublishBuckets = [0.25, 0.5, 1, 2, 5, 10, 30, 60];

    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstSeenNotReady = new(StringComparer.Ordinal);

    // When a Ready pod's /healthz probe first failed with no success since; like _firstSeenNotReady, losing it only
    // delays a detection by one threshold.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstProbeFailed = new(StringComparer.Ordinal);
    private readonly EventRecorder _events;
    private readonly ILogger _logger;
    private readonly ICounter _failovers;
    private readonly IHistogram _detectionToPublish;

    public FailoverCoordinator(IFailoverNodeAdmin nodes, EventRecorder events, IMetricsFactory metrics, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Nodes = nodes;
        _events = events;
        Time = time;
        _logger = logger;
        _failovers = metrics.Counter("cacheoperator_failovers_total", "Shards handed from a failed primary to a replica or standby.");
        _detectionToPublish = metrics.Histogram("cacheoperator_failover_detection_to_publish_seconds",
            "From a primary passing its not-ready threshold to the ring naming its successor being stored.", PublishBuckets);
    }

    public IFailoverNodeAdmin Nodes { get; set; }

    /// <summary>The clock thresholds are measured with; tests replace it.</summary>
    public TimeProvider Time { get; set; }

    /// <summary>
    /// The decision for this reconcile, with every replica it names already promoted; null when there is no
    /// assignment yet. A replica that refuses promotion leaves its shard as it was, to be tried next reconcile.
    /// <paramref name="replicaPulls"/> are the replicas' pulls by pod (<see cref="ReplicaStreams.ObserveAsync"/>):
    /// only a replica with a whole copy is promoted, and a replica that copied a since-restarted primary replaces it.
    /// </summary>
    public async Task<FailoverDecision?> DecideAsync(CacheCluster cluster, string? membersJson, IReadOnlyList<Pod> nodePods,
        IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> replicaPulls, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(nodePods);
        ArgumentNullException.ThrowIfNull(replicaPulls);
        var stored = MemberAssignment.TryParse(membersJson);
        if (stored is null)
            return null;

        var now = Time.GetUtcNow();
        string prefix = $"{cluster.Metadata.Namespace}/{cluster.Metadata.Name}/";
        var byName = nodePods.Where(p => p.Metadata.Name is not null).GroupBy(p => p.Metadata.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var pods = new Dictionary<string, FailoverPod>(StringComparer.Ordinal);
        var assignment = await EmptyRecoveredStandbysAsync(stored, byName, token, ct).ConfigureAwait(false);
        bool emptied = !ReferenceEquals(assignment, stored);
        var spec = cluster.Spec.Failover ?? new FailoverSpec();
        // Scaling too (an operation runs on a cluster that was running, and a copy made for a lowering can take long:
        // its source primary failing must be failed over like any other), except a scale-out: its new shards'
        // primaries are pods still starting, not failures.
        bool wasRunning = cluster.Status?.Phase is ClusterPhases.Running or ClusterPhases.Degraded
            || cluster.Status?.Phase == ClusterPhases.Scaling
                && Conditions.Find(cluster.Status.Conditions, ConditionTypes.Progressing)?.Reason != ScaleStatus.ReasonScalingOut;
        bool probing = spec.Enabled && wasRunning;
        var probeFailingSince = probing
            ? await ProbeAsync(prefix, assignment, byName, token, now, ct).ConfigureAwait(false)
            : Forget(prefix, assignment);
        foreach (var member in assignment.Pools.SelectMany(p => p.Members))
        {
            var stream = replicaPulls.GetValueOrDefault(member.Pod)?.OrderByDescending(p => p.HoldsShard).FirstOrDefault();
            pods[member.Pod] = Observe(prefix + member.Pod, byName.GetValueOrDefault(member.Pod), now) with
            {
                Stream = stream,
                ProbeFailingSince = probeFailingSince.GetValueOrDefault(member.Pod),
            };
        }

        var decision = FailoverPlanner.Plan(assignment, pods, new FailoverSettings(spec.Enabled, spec.NotReadyThresholdSeconds, wasRunning), now);
        decision = decision with { Changed = decision.Changed || emptied, Probing = probing };
        if (decision.Steps.Count == 0)
            return decision;

        var refused = new List<FailoverStep>();
        foreach (var step in decision.Steps.Where(s => s.FromReplica))
        {
            string? ip = byName.GetValueOrDefault(step.NewPrimary)?.Status?.PodIP;
            if (string.IsNullOrEmpty(ip) || !await Nodes.PromoteAsync(ip, token, ct).ConfigureAwait(false))
                refused.Add(step);
        }

        if (refused.Count == 0)
            return decision;

        // Retry the whole decision next time rather than publishing a ring that routes writes to a read-only replica.
        foreach (var step in refused)
            LogPromoteRefused(_logger, cluster.Metadata.Namespace, cluster.Metadata.Name, step.NewPrimary, step.Shard);
        return decision with
        {
            Assignment = assignment,
            Changed = emptied,
            Steps = [],
            Held = [.. decision.Held, .. refused.Select(s => $"replica {s.NewPrimary} did not accept promotion for shard {s.Shard}; retrying")],
        };
    }

    /// <summary>Events and metrics for steps whose ring is now stored.</summary>
    public async Task ReportAsync(CacheCluster cluster, FailoverDecision decision, long ringVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(decision);
        var threshold = TimeSpan.FromSeconds((cluster.Spec.Failover ?? new FailoverSpec()).NotReadyThresholdSeconds);
        foreach (var step in decision.Steps)
        {
            var published = Time.GetUtcNow();

            // The decision's clock and the publish clock differ by the reconcile's own work; both count.
            double detectionToPublish = Math.Max(0, (step.NotReadyFor - threshold).TotalSeconds) + (published - decision.DecidedAt).TotalSeconds;
            _failovers.Inc();
            _detectionToPublish.Observe(detectionToPublish);
            string how = step.FromReplica ? "replica promoted" : "standby takes the shard with an empty cache";
            string primary = $"primary {step.FailedPod} of shard {step.Shard} (pool {step.Pool})";
            string why = step.Restarted ? $"{primary} restarted empty after its replica {step.NewPrimary} copied it (signal: container restart)"
                : step.ProbeFailed ? string.Create(CultureInfo.InvariantCulture,
                    $"{primary} failed the operator's /healthz probe for {step.NotReadyFor.TotalSeconds:0.0}s though its pod is Ready (signal: operator probe)")
                : string.Create(CultureInfo.InvariantCulture, $"{primary} not ready for {step.NotReadyFor.TotalSeconds:0.0}s (signal: pod not Ready or gone)");
            await _events.RecordAsync(cluster, EventRecorder.Warning, "FailoverStarted", $"{why}: handing the shard to {step.NewPrimary}", ct).ConfigureAwait(false);
            await _events.RecordAsync(cluster, EventRecorder.Normal, "ShardPromoted", string.Create(CultureInfo.InvariantCulture,
                $"{step.NewPrimary} is primary of shard {step.Shard} (pool {step.Pool}) in ring version {ringVersion} ({how}); detection to publish {detectionToPublish:0.00}s; {step.FailedPod} becomes {(step.Restarted ? "its replica" : "a standby")}"), ct).ConfigureAwait(false);
            LogFailover(_logger, cluster.Metadata.Namespace, cluster.Metadata.Name, step.Shard, step.FailedPod, step.NewPrimary, ringVersion, detectionToPublish);
        }
    }

    /// <summary>Says in status why a failed primary was left alone.</summary>
    public static void ApplyStatus(CacheClusterStatus status, FailoverDecision? decision, long generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (decision is null || decision.Held.Count == 0)
            return;
        string message = string.Join("; ", decision.Held);
        status.Phase = ClusterPhases.Degraded;
        Conditions.Set(status.Conditions, new Condition
        {
            Type = ConditionTypes.Degraded,
            Status = "True",
            Reason = decision.Suspended ? ReasonSuspended : ReasonNoTarget,
            Message = message,
            ObservedGeneration = generation,
        }, now);
    }

    /// <summary>
    /// A frozen or partitioned primary comes back with what it held; as a standby it must start empty, or a later
    /// failover could hand it a shard with stale values. The duty is the member's <c>toEmpty</c> flag in
    /// members.json, so it survives an operator restart; the flag is cleared once the node answered. Returns the
    /// same instance when nothing changed.
    /// </summary>
    private async Task<MemberAssignment> EmptyRecoveredStandbysAsync(MemberAssignment assignment, Dictionary<string, Pod> pods, string token, CancellationToken ct)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in assignment.Pools.SelectMany(p => p.Members).Where(m => m.ToEmpty == true))
        {
            // A member that took another role since (a standby promoted after all) holds nothing stale to clear.
            if (member.Role != MemberRole.Standby)
            {
                done.Add(member.Pod);
                continue;
            }

            var pod = pods.GetValueOrDefault(member.Pod);
            bool ready = pod?.Metadata.DeletionTimestamp is null && Conditions.IsTrue(pod?.Status?.Conditions, "Ready");
            if (ready && pod!.Status?.PodIP is { Length: > 0 } ip && await Nodes.EmptyAsync(ip, token, ct).ConfigureAwait(false))
            {
                done.Add(member.Pod);
                LogEmptied(_logger, member.Pod);
            }
        }

        if (done.Count == 0)
            return assignment;
        return new MemberAssignment([.. assignment.Pools.Select(p => p with
        {
            Members = [.. p.Members.Select(m => done.Contains(m.Pod) ? m with { ToEmpty = null } : m)],
        })]);
    }

    /// <summary>
    /// Probes every Ready member pod with an IP at once (each probe bounded by the node admin's short timeout, so a
    /// reconcile waits for the slowest, not the sum) and returns, by pod, since when each failing one has failed.
    /// A success, or a pod not probed (not Ready: the Ready condition speaks for it), forgets the failure.
    /// </summary>
    private async Task<Dictionary<string, DateTimeOffset?>> ProbeAsync(string prefix, MemberAssignment assignment,
        Dictionary<string, Pod> pods, string token, DateTimeOffset now, CancellationToken ct)
    {
        var probes = new List<(string Pod, Task<bool> Healthy)>();
        foreach (var member in assignment.Pools.SelectMany(p => p.Members))
        {
            var pod = pods.GetValueOrDefault(member.Pod);
            bool ready = pod?.Metadata.DeletionTimestamp is null && Conditions.IsTrue(pod?.Status?.Conditions, "Ready");
            if (ready && pod!.Status?.PodIP is { Length: > 0 } ip)
                probes.Add((member.Pod, Nodes.ProbeAsync(ip, token, ct)));
            else
                _firstProbeFailed.TryRemove(prefix + member.Pod, out _);
        }

        await Task.WhenAll(probes.Select(p => p.Healthy)).ConfigureAwait(false);
        var failing = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var (pod, healthy) in probes)
        {
            if (await healthy.ConfigureAwait(false))
            {
                _firstProbeFailed.TryRemove(prefix + pod, out _);
                continue;
            }

            var since = _firstProbeFailed.GetOrAdd(prefix + pod, now);
            failing[pod] = since;
            LogProbeFailed(_logger, pod, (now - since).TotalSeconds);
        }

        return failing;
    }

    /// <summary>With failover off (or the cluster not yet running) nothing is probed, and no old failure counts later.</summary>
    private Dictionary<string, DateTimeOffset?> Forget(string prefix, MemberAssignment assignment)
    {
        foreach (var member in assignment.Pools.SelectMany(p => p.Members))
            _firstProbeFailed.TryRemove(prefix + member.Pod, out _);
        return new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
    }

    private FailoverPod Observe(string key, Pod? pod, DateTimeOffset now)
    {
        bool terminating = pod?.Metadata.DeletionTimestamp is not null;
        var condition = Conditions.Find(pod?.Status?.Conditions, "Ready");
        var changed = ProcessChangedAt(pod);
        if (pod is not null && !terminating && condition?.Status == "True")
        {
            _firstSeenNotReady.TryRemove(key, out _);
            return new FailoverPod(pod.Metadata.Name!, true, null, changed, IP: pod.Status?.PodIP);
        }

        // A Ready=False condition dates the failure itself; an absent or terminating pod, or one without the
        // condition, is dated by when this operator first saw it so.
        DateTimeOffset since = !terminating && condition is { Status: "False", LastTransitionTime: { } at }
            ? at
            : _firstSeenNotReady.GetOrAdd(key, now);
        return new FailoverPod(key[(key.LastIndexOf('/') + 1)..], false, since, changed, IP: pod?.Status?.PodIP);
    }

    /// <summary>The latest start or end of the pod's cache-node process, or the pod's creation; null without a pod.</summary>
    private static DateTimeOffset? ProcessChangedAt(Pod? pod)
    {
        if (pod is null)
            return null;
        var times = new List<DateTimeOffset?> { pod.Metadata.CreationTimestamp };
        foreach (var container in pod.Status?.ContainerStatuses?.Where(c => c.Name == Desired.NodeStatefulSetBuilder.ContainerName) ?? [])
        {
            times.Add(container.State?.Running?.StartedAt);
            times.Add(container.State?.Terminated?.FinishedAt);
            times.Add(container.LastState?.Terminated?.FinishedAt);
        }

        return times.Max();
    }

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "node {Pod} does not answer the operator's /healthz probe (failing for {Seconds:0.0}s)")]
    private static partial void LogProbeFailed(ILogger logger, string pod, double seconds);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "standby {Pod} (a failed primary) is ready again; its cache was emptied")]
    private static partial void LogEmptied(ILogger logger, string pod);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "cachecluster {Namespace}/{Name}: replica {Pod} did not accept promotion for shard {Shard}")]
    private static partial void LogPromoteRefused(ILogger logger, string? @namespace, string? name, string pod, string shard);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "cachecluster {Namespace}/{Name}: shard {Shard} failed over from {Failed} to {Successor} in ring version {Version}, {Seconds:0.00}s from detection to publish")]
    private static partial void LogFailover(ILogger logger, string? @namespace, string? name, string shard, string failed, string successor, long version, double seconds);
}
