using CacheOperator.Api.V1Alpha1;
using CacheOperator.Controllers;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>Reads from the controller's informer caches: no API request per reconcile.</summary>
public sealed class InformerWorldReader : IWorldReader
{
    /// <summary>Set once the controller exists (it needs the reconciler, which needs this reader).</summary>
    public Controller<CacheCluster>? Controller { get; set; }

    private Controller<CacheCluster> Source => Controller ?? throw new InvalidOperationException("the controller is not set yet");

    public Task<T?> GetAsync<T>(string ns, string name, CancellationToken ct) where T : KubernetesObject =>
        Task.FromResult(Source.CacheOf<T>().Get(ns, name));

    public Task<IReadOnlyList<T>> ListAsync<T>(string ns, IReadOnlyDictionary<string, string> labels, CancellationToken ct)
        where T : KubernetesObject =>
        Task.FromResult(Source.CacheOf<T>().List(ns, ClusterLabels.Format(labels)));
}
