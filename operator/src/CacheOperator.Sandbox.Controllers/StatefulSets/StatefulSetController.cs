using System.Globalization;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Runtime;

namespace CacheOperator.Sandbox.Controllers.StatefulSets;

/// <summary>
/// Reconciles one StatefulSet: reads it and its pods fresh from the API server (no cache, so a decision never
/// rests on a stale view of its own last step), asks <see cref="StatefulSetPlanner"/> for the next step, takes it,
/// and writes status through the status subresource when it changed.
/// <para>
/// Simplifications: no ControllerRevision objects (a revision is <c>&lt;set&gt;-&lt;template hash&gt;</c>, and a pod
/// recreated below the partition gets the current template, not the old one); no PersistentVolumeClaims from
/// volumeClaimTemplates; no release of owned pods that stop matching the selector; minReadySeconds and spec.ordinals are ignored.
/// </para>
/// </summary>
public sealed class StatefulSetController(IKubernetesClient client, EventRecorder? events = null)
{
    /// <summary>Takes the next step for the set; returns when to look again without an event, if ever.</summary>
    public async Task<TimeSpan?> ReconcileAsync(string? ns, string name, CancellationToken ct = default)
    {
        StatefulSet? set = await client.GetAsync<StatefulSet>(ns, name, ct).ConfigureAwait(false);
        if (set is null || PodInspection.IsTerminating(set))
            return null;
        KubernetesList<Pod> pods = await client.ListAsync<Pod>(ns, null, ct).ConfigureAwait(false);
        List<Pod> owned = pods.Items.Where(p => PodInspection.IsControlledBy(p, set)).ToList();
        owned.AddRange(await ControllerSupport.AdoptAsync(client, set, ControllerSupport.OwnerReferenceTo(set, "apps/v1", "StatefulSet"),
            set.Spec.Selector, pods.Items, p => StatefulSetNames.TryParseOrdinal(name, p.Metadata.Name ?? "", out _), ct).ConfigureAwait(false));

        string revision = StatefulSetNames.RevisionName(name, ControllerSupport.HashOf(set.Spec.Template));
        var input = new StatefulSetPlanInput(name, set.Spec.Replicas ?? 1, revision,
            owned.Select(p => PodInspection.Facts(p, WellKnownLabels.ControllerRevisionHash)).ToList())
        {
            Parallel = set.Spec.PodManagementPolicy == "Parallel",
            RollingUpdate = set.Spec.UpdateStrategy?.Type != "OnDelete",
            Partition = set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0,
        };

        StatefulSetPlan plan = StatefulSetPlanner.Plan(input);
        foreach (int ordinal in plan.Create)
            await CreatePodAsync(set, ordinal, revision, ct).ConfigureAwait(false);
        foreach (string podName in plan.Delete)
        {
            Pod pod = owned.First(p => p.Metadata.Name == podName);
            await ControllerSupport.DeletePodAsync(client, pod, ct).ConfigureAwait(false);
            if (events is not null)
                await events.NormalAsync(set, "SuccessfulDelete", $"delete Pod {podName} in StatefulSet {name} successful", ct).ConfigureAwait(false);
        }

        StatefulSetStatus status = StatefulSetStatusCalculator.Compute(input, set.Metadata.Generation, set.Status);
        if (!ControllerSupport.StatusEquals(set.Status, status))
        {
            set.Status = status;
            await client.ReplaceStatusAsync(set, ct).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>The pod the set wants at this ordinal.</summary>
    public static Pod BuildPod(StatefulSet set, int ordinal, string revision)
    {
        ArgumentNullException.ThrowIfNull(set);
        string setName = set.Metadata.Name ?? "";
        string podName = StatefulSetNames.PodName(setName, ordinal);
        PodTemplateSpec template = KubernetesJson.Clone(set.Spec.Template);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnownLabels.StatefulSetPodName] = podName,
            [WellKnownLabels.PodIndex] = ordinal.ToString(CultureInfo.InvariantCulture),
            [WellKnownLabels.ControllerRevisionHash] = revision,
        };
        PodSpec spec = template.Spec;
        spec.Hostname = podName;
        if (!string.IsNullOrEmpty(set.Spec.ServiceName))
            spec.Subdomain = set.Spec.ServiceName;
        return new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = podName,
                Namespace = set.Metadata.Namespace,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [ControllerSupport.OwnerReferenceTo(set, "apps/v1", "StatefulSet")],
            },
            Spec = spec,
        };
    }

    private async Task CreatePodAsync(StatefulSet set, int ordinal, string revision, CancellationToken ct)
    {
        try
        {
            Pod pod = await client.CreateAsync(BuildPod(set, ordinal, revision), ct).ConfigureAwait(false);
            if (events is not null)
                await events.NormalAsync(set, "SuccessfulCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful", ct)
                    .ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.IsAlreadyExists)
        {
            // A pod of that name that the last list did not show (or not ours): the next event decides.
        }
    }
}
