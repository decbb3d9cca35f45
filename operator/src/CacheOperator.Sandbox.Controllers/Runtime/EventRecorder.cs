using System.Security.Cryptography;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Controllers.Runtime;

/// <summary>
/// Writes core/v1 Events the way the controller-manager and scheduler do, so <c>kubectl describe</c> and
/// <c>kubectl get events</c> tell what happened. Best effort: an event that cannot be written is dropped (it
/// must never fail or delay the step it describes). No aggregation of repeats: each call is one Event.
/// </summary>
public sealed class EventRecorder(IKubernetesClient client, string component, TimeProvider time)
{
    public async Task NormalAsync(KubernetesObject about, string reason, string message, CancellationToken ct) =>
        await RecordAsync(about, "Normal", reason, message, ct).ConfigureAwait(false);

    public async Task WarningAsync(KubernetesObject about, string reason, string message, CancellationToken ct) =>
        await RecordAsync(about, "Warning", reason, message, ct).ConfigureAwait(false);

    private async Task RecordAsync(KubernetesObject about, string type, string reason, string message, CancellationToken ct)
    {
        DateTimeOffset now = time.GetUtcNow();
        var e = new Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new ObjectMeta
            {
                Name = $"{about.Metadata.Name}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}",
                Namespace = string.IsNullOrEmpty(about.Metadata.Namespace) ? "default" : about.Metadata.Namespace,
            },
            InvolvedObject = about.ToObjectReference(),
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = component },
            ReportingComponent = component,
        };
        try
        {
            await client.CreateAsync(e, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException)
        {
        }
        catch (HttpRequestException)
        {
        }
    }
}
