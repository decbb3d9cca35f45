using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Controllers;

/// <summary>Reads the facts controllers decide on from a pod, and finds a pod's controlling owner.</summary>
public static class PodInspection
{
    public static bool IsRunningAndReady(Pod pod) =>
        pod.Status?.Phase == "Running"
        && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsFinished(Pod pod) => pod.Status?.Phase is "Failed" or "Succeeded";

    public static bool IsTerminating(KubernetesObject obj) => obj.Metadata.DeletionTimestamp is not null;

    /// <summary>The pod as the planners see it; its revision is the value of <paramref name="revisionLabel"/>.</summary>
    public static PodFacts Facts(Pod pod, string revisionLabel)
    {
        string? revision = null;
        pod.Metadata.Labels?.TryGetValue(revisionLabel, out revision);
        return new PodFacts(pod.Metadata.Name ?? "", revision)
        {
            Ready = IsRunningAndReady(pod),
            Finished = IsFinished(pod),
            Terminating = IsTerminating(pod),
            Scheduled = !string.IsNullOrEmpty(pod.Spec.NodeName),
            Created = pod.Metadata.CreationTimestamp,
        };
    }

    /// <summary>The owner reference marked controller, if any.</summary>
    public static OwnerReference? ControllerOf(KubernetesObject obj) =>
        obj.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>Whether <paramref name="owner"/> (by uid) is the controller of <paramref name="obj"/>.</summary>
    public static bool IsControlledBy(KubernetesObject obj, KubernetesObject owner) =>
        ControllerOf(obj) is { } reference && reference.Uid == owner.Metadata.Uid;
}
