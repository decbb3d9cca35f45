namespace CacheOperator.Sandbox.Controllers;

/// <summary>The labels apps/v1 controllers put on the pods they create.</summary>
public static class WellKnownLabels
{
    public const string StatefulSetPodName = "statefulset.kubernetes.io/pod-name";
    public const string PodIndex = "apps.kubernetes.io/pod-index";
    public const string ControllerRevisionHash = "controller-revision-hash";
    public const string PodTemplateHash = "pod-template-hash";
}
