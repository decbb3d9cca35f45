using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Metrics;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Reconciler.Tests;

/// <summary>
/// A reconciler over the in-memory API, with a hand-cranked "kubelet": tests create pods for the StatefulSets
/// and Deployment the reconciler made, give them IPs and readiness, and look at the world that results.
/// </summary>
internal sealed class ReconcileHarness
{
    public const string Ns = TestClusters.Namespace;

    public InMemoryKubernetesClient Api { get; }

    public FakeRouterAdmin Routers { get; } = new();

    public MetricsRegistry Metrics { get; private set; } = new();

    public CacheClusterReconciler Reconciler { get; private set; }

    private readonly IRouterAdmin? _routers;
    private readonly CacheOperator.Reconciler.Orchestration.INodeAdmin? _nodes;

    /// <param name="nodes">The scale orchestration's node admin (warm-up pulls, drops); null for the real HTTP client.</param>
    /// <param name="apiTime">The API server's clock (creation and deletion timestamps); null for the system clock.</param>
    public ReconcileHarness(IRouterAdmin? routers = null, CacheOperator.Reconciler.Orchestration.INodeAdmin? nodes = null, TimeProvider? apiTime = null)
    {
        Api = new InMemoryKubernetesClient(apiTime);
        _routers = routers;
        _nodes = nodes;
        Reconciler = NewReconciler();
    }

    /// <summary>A new operator process over the same API and nodes: everything it knows it must read back.</summary>
    public void RestartOperator()
    {
        var failoverNodes = Reconciler.Failover.Nodes;
        Metrics = new MetricsRegistry();
        Reconciler = NewReconciler();
        Reconciler.Failover.Nodes = failoverNodes;
    }

    private CacheClusterReconciler NewReconciler()
    {
        var reconciler = new CacheClusterReconciler(
            Api,
            new ClientWorldReader(Api),
            _routers ?? Routers,
            new OperatorSettings { CacheNodeImage = "example.test/cache-node:1" },
            new EventRecorder(Api, TimeProvider.System, "test-operator", NullLogger<EventRecorder>.Instance),
            new ReconcilerMetrics(Metrics),
            TimeProvider.System,
            NullLogger<CacheClusterReconciler>.Instance,
            _nodes);

        // Never the real HTTP client in tests: replicas' nodes are in memory.
        reconciler.Replicas.Nodes = ReplicaNodes;
        reconciler.Failover.Nodes = ReplicaNodes;
        return reconciler;
    }

    /// <summary>The replicas' nodes (replica pulls); failover tests may share it as the failover node admin too.</summary>
    public Orchestration.FakeReplicaNodes ReplicaNodes { get; } = new();

    public async Task<CacheCluster> CreateAsync(string name, string specJson) =>
        await Api.CreateAsync(TestClusters.Inline(name, specJson));

    public Task<CacheOperator.Controllers.ReconcileResult> ReconcileAsync(string name) => Reconciler.ReconcileAsync(Ns, name, CancellationToken.None);

    public Task<T?> GetAsync<T>(string name) where T : KubernetesObject => Api.GetAsync<T>(Ns, name);

    public async Task<CacheCluster> ClusterAsync(string name) => (await GetAsync<CacheCluster>(name))!;

    public IReadOnlyList<FakeRequest> Writes() => [.. Api.Requests.Where(r => r.IsWrite)];

    /// <summary>What the StatefulSet controller and kubelet would do: one pod per ordinal, with an IP, ready or not.</summary>
    public async Task RunPodsAsync(string statefulSet, string ipPrefix, bool ready = true)
    {
        var set = (await GetAsync<StatefulSet>(statefulSet))!;
        for (int i = 0; i < (set.Spec.Replicas ?? 0); i++)
            await RunPodAsync($"{statefulSet}-{i}", set.Spec.Template.Metadata!.Labels!, $"{ipPrefix}.{i + 1}", ready);
    }

    public async Task RunRouterPodsAsync(string deployment, string ipPrefix, bool ready = true)
    {
        var router = (await GetAsync<Deployment>(deployment))!;
        for (int i = 0; i < (router.Spec.Replicas ?? 0); i++)
            await RunPodAsync($"{deployment}-{i}", router.Spec.Template.Metadata!.Labels!, $"{ipPrefix}.{i + 1}", ready);
    }

    public async Task RunPodAsync(string name, IDictionary<string, string> labels, string? ip, bool ready)
    {
        var pod = await GetAsync<Pod>(name) ?? await Api.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns, Labels = new Dictionary<string, string>(labels) },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "x" }] },
        });
        pod.Status = new PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new Condition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = DateTimeOffset.UtcNow }],
        };
        await Api.ReplaceStatusAsync(pod);
    }

    /// <summary>Reconciles until the outcome stops asking for a requeue or the bound is hit.</summary>
    public async Task ConvergeAsync(string name, Func<Task>? between = null, int rounds = 5)
    {
        for (int i = 0; i < rounds; i++)
        {
            var outcome = await ReconcileAsync(name);
            if (outcome.RequeueAfter is null)
                return;
            if (between is not null)
                await between();
        }
    }
}
