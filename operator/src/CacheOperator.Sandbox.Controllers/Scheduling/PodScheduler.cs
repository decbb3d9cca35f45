using System.Text.Json;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Runtime;

namespace CacheOperator.Sandbox.Controllers.Scheduling;

/// <summary>
/// Binds pods without spec.nodeName to a node <see cref="NodeChooser"/> picks, and marks them PodScheduled.
/// A real scheduler binds through the pods/binding subresource; the sandbox binds with an update of spec.nodeName
/// carrying the pod's resourceVersion, which is just as safe against a race (the loser gets 409) and needs no
/// extra verb in the client. With no suitable node the pod stays Pending with PodScheduled False, reason
/// Unschedulable, and is tried again later or when a node changes.
/// </summary>
public sealed class PodScheduler(IKubernetesClient client, TimeProvider time, TimeSpan unschedulableRetry,
    EventRecorder? events = null)
{
    public async Task<TimeSpan?> ReconcileAsync(string? ns, string name, CancellationToken ct = default)
    {
        Pod? pod = await client.GetAsync<Pod>(ns, name, ct).ConfigureAwait(false);
        if (pod is null || !NeedsNode(pod))
            return null;
        KubernetesList<Node> nodes = await client.ListAsync<Node>(null, null, ct).ConfigureAwait(false);
        KubernetesList<Pod> pods = await client.ListAsync<Pod>(null, null, ct).ConfigureAwait(false);
        var load = pods.Items
            .Where(p => !string.IsNullOrEmpty(p.Spec.NodeName) && !PodInspection.IsFinished(p))
            .GroupBy(p => p.Spec.NodeName!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        List<NodeFacts> facts = nodes.Items.Select(n => Facts(n, load)).ToList();

        NodeFacts? chosen = NodeChooser.Choose(facts, pod.Spec.NodeSelector);
        if (chosen is null)
        {
            string why = NodeChooser.Explain(facts, pod.Spec.NodeSelector);
            if (await SetScheduledConditionAsync(pod, "False", "Unschedulable", why, ct).ConfigureAwait(false) && events is not null)
                await events.WarningAsync(pod, "FailedScheduling", why, ct).ConfigureAwait(false);
            return unschedulableRetry;
        }
        pod.Spec.NodeName = chosen.Name;
        Pod bound = await client.ReplaceAsync(pod, ct).ConfigureAwait(false);
        if (events is not null)
            await events.NormalAsync(bound, "Scheduled", $"Successfully assigned {ns}/{name} to {chosen.Name}", ct).ConfigureAwait(false);
        try
        {
            await SetScheduledConditionAsync(bound, "True", null, null, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsNotFound)
        {
            // The kubelet wrote status first (or the pod went): it owns the pod's status from here on.
        }
        return null;
    }

    /// <summary>Whether the scheduler has work with this pod.</summary>
    public static bool NeedsNode(Pod pod) =>
        string.IsNullOrEmpty(pod.Spec.NodeName) && !PodInspection.IsTerminating(pod) && !PodInspection.IsFinished(pod);

    /// <summary>Writes the PodScheduled condition; false when it already said this.</summary>
    private async Task<bool> SetScheduledConditionAsync(Pod pod, string status, string? reason, string? message, CancellationToken ct)
    {
        pod.Status ??= new PodStatus();
        pod.Status.Phase ??= "Pending";
        var conditions = pod.Status.Conditions ??= [];
        Condition? existing = conditions.FirstOrDefault(c => c.Type == "PodScheduled");
        if (existing is not null && existing.Status == status && existing.Reason == reason && existing.Message == message)
            return false;
        if (existing is null)
        {
            existing = new Condition { Type = "PodScheduled" };
            conditions.Add(existing);
        }
        if (existing.Status != status)
            existing.LastTransitionTime = time.GetUtcNow();
        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
        existing.LastTransitionTime ??= time.GetUtcNow();
        await client.ReplaceStatusAsync(pod, ct).ConfigureAwait(false);
        return true;
    }

    private static NodeFacts Facts(Node node, Dictionary<string, int> load)
    {
        string name = node.Metadata.Name ?? "";
        bool unschedulable = node.AdditionalProperties?.TryGetValue("spec", out JsonElement spec) == true
            && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("unschedulable", out JsonElement flag)
            && flag.ValueKind == JsonValueKind.True;
        return new NodeFacts(name)
        {
            Ready = node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            Unschedulable = unschedulable,
            Labels = node.Metadata.Labels is { } labels
                ? new Dictionary<string, string>(labels, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
            PodCount = load.GetValueOrDefault(name),
        };
    }
}
