using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// Writes core/v1 Events about a cluster (what <c>kubectl describe cachecluster</c> shows). Best effort: an event
/// that cannot be written is logged, never a reason to fail a reconcile.
/// </summary>
public sealed partial class EventRecorder(IKubernetesClient client, TimeProvider time, string instance, ILogger<EventRecorder> logger)
{
    public const string Component = "cache-operator";
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(CacheCluster cluster, string type, string reason, string message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var now = time.GetUtcNow();
        var resource = KubernetesResource.Of<Event>();
        var ev = new Event
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = new ObjectMeta
            {
                // Unique per event, like client-go's recorder: the object's name and a timestamp in hex.
                Name = string.Create(CultureInfo.InvariantCulture, $"{cluster.Metadata.Name}.{now.UtcTicks:x}{Random.Shared.Next(0x1000):x3}"),
                Namespace = cluster.Metadata.Namespace,
            },
            InvolvedObject = new ObjectReference
            {
                ApiVersion = CacheCluster.ApiVersionValue,
                Kind = CacheCluster.ResourceKind,
                Name = cluster.Metadata.Name,
                Namespace = cluster.Metadata.Namespace,
                Uid = cluster.Metadata.Uid,
                ResourceVersion = cluster.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = instance,
        };

        try
        {
            await client.CreateAsync(ev, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            LogEventFailed(logger, reason, cluster.Metadata.Namespace, cluster.Metadata.Name, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            LogEventFailed(logger, reason, cluster.Metadata.Namespace, cluster.Metadata.Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "event {Reason} for {Namespace}/{Name} not written: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string? @namespace, string? name, string error);
}
