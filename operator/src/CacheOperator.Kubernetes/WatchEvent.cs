using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

/// <summary>One event of a watch stream. ERROR events never surface here: they become a
/// <see cref="KubernetesApiException"/> (410 Expired means: re-list).</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object) where T : KubernetesObject;
