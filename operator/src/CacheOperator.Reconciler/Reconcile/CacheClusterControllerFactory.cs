using CacheOperator.Api.V1Alpha1;
using CacheOperator.Controllers;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Kubernetes.Models.Networking;
using CacheOperator.Kubernetes.Models.Policy;
using CacheOperator.Metrics;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Naming;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// Wires the CacheCluster controller: informers for CacheClusters, every kind they own and their pods (all
/// filtered to app.kubernetes.io/managed-by=cache-operator, so the caches hold only our objects), and the
/// reconciler reading those caches.
/// </summary>
public static class CacheClusterControllerFactory
{
    public const string ControllerName = "cachecluster";

    public static Controller<CacheCluster> Create(
        IKubernetesClient client,
        IRouterAdmin routers,
        OperatorSettings settings,
        ControllerOptions options,
        MetricsRegistry metrics,
        ILoggerFactory loggers,
        TimeProvider time,
        string instance)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var world = new InformerWorldReader();
        var reconciler = new CacheClusterReconciler(
            client,
            world,
            routers,
            settings,
            new EventRecorder(client, time, instance, loggers.CreateLogger<EventRecorder>()),
            new ReconcilerMetrics(metrics),
            time,
            loggers.CreateLogger<CacheClusterReconciler>());
        var controller = new Controller<CacheCluster>(ControllerName, client, reconciler, options, metrics, loggers);
        string ours = $"{ClusterLabels.ManagedBy}={ClusterLabels.Manager}";
        controller.Owns<StatefulSet>(ours);
        controller.Owns<Deployment>(ours);
        controller.Owns<Service>(ours);
        controller.Owns<ConfigMap>(ours);
        controller.Owns<Secret>(ours);
        controller.Owns<PodDisruptionBudget>(ours);
        controller.Owns<NetworkPolicy>(ours);

        // Pods are owned by StatefulSets and ReplicaSets, not by the cluster: map them back by their instance label.
        controller.Watches<Pod>(pod =>
            pod.Metadata.Labels is { } labels && labels.TryGetValue(ClusterLabels.Instance, out string? cluster) && pod.Metadata.Namespace is { } ns
                ? [new ObjectKey(ns, cluster)]
                : [], ours);
        world.Controller = controller;
        return controller;
    }
}
