using CacheOperator.Api.Validation;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Controllers;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// Level-based reconcile of one CacheCluster: read it and the world, compute the desired objects, apply only what
/// differs, bring the routers to the current ring, write status only when it changed. Running it again on a
/// converged cluster writes nothing.
/// </summary>
public sealed partial class CacheClusterReconciler(
    IKubernetesClient client,
    IWorldReader world,
    IRouterAdmin routers,
    OperatorSettings settings,
    EventRecorder events,
    ReconcilerMetrics metrics,
    TimeProvider time,
    ILogger<CacheClusterReconciler> logger,
    INodeAdmin? nodes = null) : IReconciler<CacheCluster>
{
    // One HTTP client for the node admin API, shared by the scale and failover orchestrations.
    private static readonly HttpNodeAdmin DefaultNodes = new(new HttpClient(), Ports.Admin, NullLogger<HttpNodeAdmin>.Instance);

    private readonly INodeAdmin _scaleNodes = nodes ?? DefaultNodes;

    public const string FieldManager = "cache-operator";

    /// <summary>How soon a cluster that is not Ready is looked at again, even when nothing it owns changes.</summary>
    public static readonly TimeSpan NotReadyRequeue = TimeSpan.FromSeconds(30);

    private static readonly ApplyOptions Apply = new(FieldManager, Force: true);

    private readonly FailoverCoordinator _failover = new(DefaultNodes, events, metrics.Factory, time, logger);

    /// <summary>Failover to replicas and standbys (Orchestration/Failover*.cs); tests replace its node admin.</summary>
    public FailoverCoordinator Failover => _failover;

    private readonly ReplicaStreams _replicas = new(DefaultNodes);

    /// <summary>Replicas' streams from their primaries (Orchestration/ReplicaStreams.cs); tests replace its node admin.</summary>
    public ReplicaStreams Replicas => _replicas;

    /// <summary>How soon a cluster with a replica not yet tailing its primary is looked at again.</summary>
    public static readonly TimeSpan ReplicaCatchUpRequeue = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a cluster with replicas is looked at even when Kubernetes reports nothing: a stream can break (and
    /// be Held) without any pod changing, and status shows the replicas' lag.
    /// </summary>
    public static readonly TimeSpan ReplicaWatchRequeue = TimeSpan.FromSeconds(10);

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct) =>
        ReconcileAsync(key.Namespace ?? "", key.Name, ct);

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken ct)
    {
        string key = $"{ns}/{name}";

        // The cluster, its token and its ring come from the API, not a cache: a stale token would be regenerated
        // and a stale ring would reuse a version number for a different document.
        var cluster = await client.GetAsync<CacheCluster>(ns, name, ct).ConfigureAwait(false);
        if (cluster is null || cluster.Metadata.DeletionTimestamp is not null)
        {
            // Garbage collection removes what it owned (owner references); nothing to do.
            metrics.ClusterGone(key);
            return ReconcileResult.Done;
        }

        metrics.ClusterSeen(key);
        var errors = Validate(cluster.Spec);
        if (errors.Count > 0)
        {
            var invalid = StatusBuilder.Invalid(cluster, errors, time.GetUtcNow());
            if (await WriteStatusAsync(cluster, invalid, ct).ConfigureAwait(false))
            {
                LogInvalid(logger, ns, name, invalid.Message ?? "");
                await events.RecordAsync(cluster, EventRecorder.Warning, StatusBuilder.ReasonInvalidSpec, invalid.Message ?? "", ct).ConfigureAwait(false);
            }

            return ReconcileResult.Done;
        }

        var names = new ClusterNames(name, ns);
        string secretName = TokenSecretBuilder.SecretName(cluster, names);
        var secret = await client.GetAsync<Secret>(ns, secretName, ct).ConfigureAwait(false);
        string? token = TokenSecretBuilder.ReadToken(secret);
        if (token is null && !TokenSecretBuilder.IsOwned(cluster))
        {
            // The user's Secret: never ours to create.
            var waiting = StatusBuilder.Invalid(cluster, [$"spec.security.tokenSecretName: Secret {secretName} with key '{PodDefaults.TokenKey}' not found"], time.GetUtcNow());
            await WriteStatusAsync(cluster, waiting, ct).ConfigureAwait(false);
            return ReconcileResult.After(NotReadyRequeue);
        }

        token ??= await CreateTokenSecretAsync(cluster, names, secret, ct).ConfigureAwait(false);

        var ringMap = await client.GetAsync<ConfigMap>(ns, names.RingConfigMap, ct).ConfigureAwait(false);
        var nodePods = await world.ListAsync<Pod>(ns, ClusterLabels.NodeSelector(name), ct).ConfigureAwait(false);
        var observedPods = nodePods.Where(p => p.Metadata.Name is not null)
            .GroupBy(p => p.Metadata.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Observe(g.First()), StringComparer.Ordinal);

        // Replicas' streams as their nodes report them: failover promotes only a replica with a whole copy.
        bool paused = cluster.Spec.Paused == true;
        string? storedMembers = DataOf(ringMap, RingConfigMapBuilder.MembersKey);
        var storedAssignment = Ring.MemberAssignment.TryParse(storedMembers);
        var observedPulls = paused ? new Dictionary<string, IReadOnlyList<ReplicaPull>>()
            : await _replicas.ObserveAsync(storedAssignment, observedPods, token, ct).ConfigureAwait(false);
        var replicaPulls = ReplicaStreams.OfOwnShards(storedAssignment, observedPods, observedPulls);

        // Failover: a failed primary's shard goes to a replica or standby in members.json before the ring is planned.
        var failover = paused ? null
            : await _failover.DecideAsync(cluster, storedMembers, nodePods, replicaPulls, token, ct).ConfigureAwait(false);

        // Scale orchestration: at most one step, whose state is stored with the ring below.
        string? members = failover is { Changed: true } ? failover.Assignment.ToJson() : storedMembers;
        var scale = cluster.Spec.Paused == true ? null
            : await StepScaleAsync(cluster, names, ringMap, members, observedPods, replicaPulls, token, ct).ConfigureAwait(false);

        // Pod updates (template changes): the next outdated pod, only while the cluster is calm; a primary hands its
        // shard to its replica first (members change here), a pod is deleted after the routers below.
        // The stored ring, and whether every router serves it, are judged once for the updater and the fence.
        var storedRing = StoredRing(ringMap);
        var routersServeStoredRing = RoutersServeStoredRingOnce(names, storedRing);
        string? membersNow = scale?.MembersJson ?? members;
        var update = paused ? PodUpdatePlan.Idle
            : await PlanPodUpdateAsync(cluster, names, membersNow, membersNow != members, nodePods, observedPods, replicaPulls, failover, scale, routersServeStoredRing, token, ct).ConfigureAwait(false);
        if (update.Members is not null)
            membersNow = update.Members.ToJson();

        // Replicas follow the assignment about to be stored (after a promotion they stream from the new primary),
        // and only those with a whole copy are listed in the ring for reads.
        IReadOnlyList<ReplicaState>? replicas = null;
        IReadOnlyList<ScaleEvent> replicaEvents = [];
        if (!paused)
        {
            var assignment = Ring.MemberAssignment.TryParse(membersNow);
            var fence = ReadCopyFenceFor(names, storedRing, assignment, observedPods, routersServeStoredRing);
            (replicas, replicaEvents) = await _replicas.SyncAsync(assignment, observedPods, observedPulls, fence, token, ct, update.Leaving).ConfigureAwait(false);
        }
        var desired = DesiredState.For(cluster, new ObservedState
        {
            Token = token,
            RingJson = DataOf(ringMap, RingConfigMapBuilder.RingKey),
            MembersJson = membersNow,
            OrchestrationJson = scale?.OrchestrationJson ?? DataOf(ringMap, RingConfigMapBuilder.OrchestrationKey),
            PodIPs = observedPods.Values.Where(p => !string.IsNullOrEmpty(p.IP)).ToDictionary(p => p.Name, p => p.IP!, StringComparer.Ordinal),
            ServingReplicas = replicas?.Where(r => r.Serving).Select(r => r.Pod).ToHashSet(StringComparer.Ordinal),
        }, settings);

        if (cluster.Spec.Paused != true)
            await ApplyAllAsync(cluster, desired, ringMap, ct).ConfigureAwait(false);
        if (scale is not null)
            await RecordScaleEventsAsync(cluster, scale, ct).ConfigureAwait(false);
        if (!paused)
            await RecordStandbysAddedAsync(cluster, membersNow, desired.Ring.Assignment, ct).ConfigureAwait(false);
        if (failover is { Steps.Count: > 0 })
            await _failover.ReportAsync(cluster, failover, desired.Ring.Version, ct).ConfigureAwait(false);
        foreach (var e in replicaEvents.Concat(update.Events))
            await events.RecordAsync(cluster, e.Warning ? EventRecorder.Warning : EventRecorder.Normal, e.Reason, e.Message, ct).ConfigureAwait(false);

        var routerView = cluster.Spec.Paused == true
            ? new RouterObservation(cluster.Spec.Router.Replicas, 0, 0, null)
            : await BringRoutersToRingAsync(ns, name, desired, token, ct).ConfigureAwait(false);
        if (!paused)
            await FinishPodUpdateAsync(cluster, names, update, desired, routerView, replicas, observedPods, ct).ConfigureAwait(false);

        var status = StatusBuilder.Build(cluster, desired.Ring, observedPods, routerView, time.GetUtcNow());
        ReplicaStatus.Apply(status, replicas);
        FailoverCoordinator.ApplyStatus(status, failover, cluster.Metadata.Generation ?? 0, time.GetUtcNow());
        ScaleStatus.Apply(status, scale?.Operation, cluster.Metadata.Generation ?? 0, time.GetUtcNow());
        await ReportPodUpdateAsync(cluster, status, update, scale, ct).ConfigureAwait(false);
        await WriteStatusAsync(cluster, status, ct).ConfigureAwait(false);
        if (scale is { InProgress: true } || update.Active)
            return ReconcileResult.After(ScaleRequeue);
        if (failover is { Watching: true })
            return ReconcileResult.After(FailoverCoordinator.WatchRequeue);
        if (replicas is { Count: > 0 })
            return ReconcileResult.After(replicas.All(r => r.Tailing) ? ReplicaWatchRequeue : ReplicaCatchUpRequeue);
        if (failover is { Probing: true })
            return ReconcileResult.After(FailoverCoordinator.ProbeInterval);
        return Conditions.IsTrue(status.Conditions, ConditionTypes.Ready) ? ReconcileResult.Done : ReconcileResult.After(NotReadyRequeue);
    }

    private static List<string> Validate(CacheClusterSpec spec)
    {
        var errors = CacheClusterValidator.Validate(spec).Select(e => e.ToString()).ToList();
        errors.AddRange(ClusterTopology.Conflicts(spec));
        return errors;
    }

    private static string? DataOf(ConfigMap? map, string key) =>
        map?.Data is { } data && data.TryGetValue(key, out string? value) ? value : null;

    private static ObservedPod Observe(Pod pod)
    {
        bool terminating = pod.Metadata.DeletionTimestamp is not null;
        bool ready = !terminating && Conditions.IsTrue(pod.Status?.Conditions, "Ready");
        return new ObservedPod(pod.Metadata.Name!, terminating ? null : pod.Status?.PodIP, ready);
    }

    /// <summary>
    /// A new token is created, not applied: if another operator replica (or a retry) created the Secret
    /// meanwhile, the create fails and the token that won is read back, so a token is never replaced.
    /// </summary>
    private async Task<string> CreateTokenSecretAsync(CacheCluster cluster, ClusterNames names, Secret? existing, CancellationToken ct)
    {
        string token = TokenSecretBuilder.NewToken();
        var desired = TokenSecretBuilder.Build(cluster, names, token);
        ObjectComparer.StampHash(desired);
        if (existing is not null)
        {
            // A Secret without a usable token (emptied by hand): fill it in once.
            await client.ApplyAsync(desired, Apply, null, ct).ConfigureAwait(false);
            return token;
        }

        try
        {
            await client.CreateAsync(desired, ct).ConfigureAwait(false);
            metrics.ObjectApplied(desired.Kind ?? "Secret");
            await events.RecordAsync(cluster, EventRecorder.Normal, "Created", $"created Secret {names.TokenSecret}", ct).ConfigureAwait(false);
            return token;
        }
        catch (KubernetesApiException ex) when (ex.IsAlreadyExists)
        {
            var winner = await client.GetAsync<Secret>(names.Namespace, names.TokenSecret, ct).ConfigureAwait(false);
            return TokenSecretBuilder.ReadToken(winner) ?? throw new InvalidOperationException($"Secret {names.TokenSecret} exists without a token");
        }
    }

    private async Task ApplyAllAsync(CacheCluster cluster, DesiredState desired, ConfigMap? ringMap, CancellationToken ct)
    {
        if (desired.TokenSecret is not null)
            await ApplyIfChangedAsync(cluster, desired.TokenSecret, ct).ConfigureAwait(false);

        // The ring first: pods that start mount it, and routers are pushed only what is stored.
        ObjectComparer.StampHash(desired.RingConfigMap);
        if (!ObjectComparer.Covers(ringMap, desired.RingConfigMap))
        {
            await Write(cluster, desired.RingConfigMap, ringMap is null, ct).ConfigureAwait(false);
            if (desired.Ring.Changed)
            {
                metrics.RingPublished();
                LogRingPublished(logger, cluster.Metadata.Namespace, cluster.Metadata.Name, desired.Ring.Version);
                await events.RecordAsync(cluster, EventRecorder.Normal, "RingPublished",
                    $"ring version {desired.Ring.Version} published", ct).ConfigureAwait(false);
            }
        }

        await ApplyIfChangedAsync(cluster, desired.NodesService, ct).ConfigureAwait(false);
        foreach (var statefulSet in desired.StatefulSets)
            await ApplyIfChangedAsync(cluster, statefulSet, ct).ConfigureAwait(false);
        foreach (var budget in desired.DisruptionBudgets)
            await ApplyIfChangedAsync(cluster, budget, ct).ConfigureAwait(false);
        await ApplyIfChangedAsync(cluster, desired.RouterDeployment, ct).ConfigureAwait(false);
        await ApplyIfChangedAsync(cluster, desired.RouterService, ct).ConfigureAwait(false);
        foreach (var policy in desired.NetworkPolicies)
            await ApplyIfChangedAsync(cluster, policy, ct).ConfigureAwait(false);
    }

    private async Task ApplyIfChangedAsync<T>(CacheCluster cluster, T desired, CancellationToken ct) where T : KubernetesObject
    {
        ObjectComparer.StampHash(desired);
        var existing = await world.GetAsync<T>(desired.Metadata.Namespace!, desired.Metadata.Name!, ct).ConfigureAwait(false);
        if (existing is not null && OwnerReferences.ControllerOf(existing) is { } owner && owner.Uid != cluster.Metadata.Uid)
        {
            // Someone else's object under our name: taking it over could break them; say so and leave it.
            LogForeignObject(logger, desired.Kind, desired.Metadata.Namespace, desired.Metadata.Name, owner.Kind, owner.Name);
            return;
        }

        if (ObjectComparer.Covers(existing, desired))
            return;
        await Write(cluster, desired, existing is null, ct).ConfigureAwait(false);
    }

    private async Task Write<T>(CacheCluster cluster, T desired, bool created, CancellationToken ct) where T : KubernetesObject
    {
        await client.ApplyAsync(desired, Apply, null, ct).ConfigureAwait(false);
        string kind = desired.Kind ?? KubernetesResource.Of<T>().Kind;
        metrics.ObjectApplied(kind);
        LogApplied(logger, kind, desired.Metadata.Namespace, desired.Metadata.Name, created ? "created" : "updated");
        if (created)
            await events.RecordAsync(cluster, EventRecorder.Normal, "Created", $"created {kind} {desired.Metadata.Name}", ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks every ready router which ring it serves and pushes the current one to those behind. Routers also
    /// reload the mounted ConfigMap by themselves; the push only saves the kubelet's sync delay. A failed push
    /// is logged and tried again next reconcile.
    /// </summary>
    private async Task<RouterObservation> BringRoutersToRingAsync(string ns, string name, DesiredState desired, string token, CancellationToken ct)
    {
        var pods = await world.ListAsync<Pod>(ns, ClusterLabels.RouterSelector(name), ct).ConfigureAwait(false);
        var ready = pods.Select(Observe).Where(p => p.Ready && !string.IsNullOrEmpty(p.IP)).ToList();
        long version = desired.Ring.Version;
        var versions = await Task.WhenAll(ready.Select(async pod =>
        {
            long? served = await routers.GetRingVersionAsync(pod.IP!, ct).ConfigureAwait(false);
            if (served >= version)
                return served;
            bool pushed = await routers.PushRingAsync(pod.IP!, desired.Ring.RingJson, token, ct).ConfigureAwait(false);
            metrics.RingPushed(pushed);
            if (pushed)
                LogPushed(logger, ns, name, pod.Name, version);
            return pushed ? version : served;
        })).ConfigureAwait(false);

        long? lowest = versions.Where(v => v is not null).Min();
        int serving = versions.Count(v => v >= version);
        return new RouterObservation(desired.RouterDeployment.Spec.Replicas ?? 0, ready.Count, serving, lowest);
    }

    /// <summary>Writes status when it differs from what the cluster shows; true when it wrote.</summary>
    private async Task<bool> WriteStatusAsync(CacheCluster cluster, CacheClusterStatus status, CancellationToken ct)
    {
        if (StatusBuilder.SameAs(cluster.Status, status))
            return false;
        cluster.Status = status;
        await client.ReplaceStatusAsync(cluster, ct).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Kind} {Namespace}/{Name} {Action}")]
    private static partial void LogApplied(ILogger logger, string kind, string? @namespace, string? name, string action);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "cachecluster {Namespace}/{Name}: ring version {Version} published")]
    private static partial void LogRingPublished(ILogger logger, string? @namespace, string? name, long version);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "cachecluster {Namespace}/{Name}: router {Pod} now serves ring version {Version}")]
    private static partial void LogPushed(ILogger logger, string @namespace, string name, string pod, long version);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "cachecluster {Namespace}/{Name}: {Message}")]
    private static partial void LogInvalid(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{Kind} {Namespace}/{Name} is controlled by {OwnerKind} {OwnerName}; left alone")]
    private static partial void LogForeignObject(ILogger logger, string? kind, string? @namespace, string? name, string ownerKind, string ownerName);
}
