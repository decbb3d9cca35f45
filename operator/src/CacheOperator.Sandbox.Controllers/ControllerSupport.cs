using System.Text.Json;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Controllers;

/// <summary>What the StatefulSet and Deployment controllers do alike.</summary>
internal static class ControllerSupport
{
    /// <summary>The hash of a pod template, as both controllers compute it.</summary>
    public static string HashOf(PodTemplateSpec template) =>
        TemplateHash.Compute(JsonSerializer.SerializeToNode(template, KubernetesJson.Options));

    /// <summary>A controller reference that holds the owner's foreground deletion until the dependent is gone.</summary>
    public static OwnerReference OwnerReferenceTo(KubernetesObject owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Metadata.Name ?? "",
        Uid = owner.Metadata.Uid ?? "",
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>Deletes the pod if it is still this pod (by uid, so a namesake created since is spared); gone is fine.</summary>
    public static async Task DeletePodAsync(IKubernetesClient client, Pod pod, CancellationToken ct)
    {
        try
        {
            await client.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name ?? "",
                new DeleteOptions { PreconditionUid = pod.Metadata.Uid }, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound || ex.IsConflict)
        {
            // Gone already, or replaced by a namesake: either way the pod we meant is not there.
        }
    }

    /// <summary>
    /// Adopts orphans: pods with no controller, not terminating, that the owner's selector matches and
    /// <paramref name="belongs"/> accepts get the owner's controller reference (an update carrying the pod's
    /// resourceVersion, so a pod changed or claimed meanwhile is left for the next pass). This is what makes
    /// <c>kubectl delete --cascade=orphan</c> followed by re-creating the owner take the old pods back.
    /// </summary>
    public static async Task<List<Pod>> AdoptAsync(IKubernetesClient client, KubernetesObject owner, OwnerReference reference,
        LabelSelector selector, IEnumerable<Pod> pods, Func<Pod, bool> belongs, CancellationToken ct)
    {
        var adopted = new List<Pod>();
        foreach (Pod pod in pods)
        {
            if (PodInspection.ControllerOf(pod) is not null || PodInspection.IsTerminating(pod)
                || pod.Metadata.Namespace != owner.Metadata.Namespace
                || !SelectorMatching.Matches(selector, pod.Metadata.Labels) || !belongs(pod))
                continue;
            pod.Metadata.OwnerReferences = [.. pod.Metadata.OwnerReferences ?? [], reference];
            try
            {
                adopted.Add(await client.ReplaceAsync(pod, ct).ConfigureAwait(false));
            }
            catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsNotFound)
            {
            }
        }
        return adopted;
    }

    /// <summary>Status is written only when it changed: a write wakes every watcher.</summary>
    public static bool StatusEquals<TStatus>(TStatus? before, TStatus after) where TStatus : class =>
        before is not null && KubernetesJson.Serialize(before) == KubernetesJson.Serialize(after);
}
