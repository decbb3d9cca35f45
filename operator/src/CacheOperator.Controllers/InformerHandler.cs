using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Controllers;

/// <summary>Callbacks an informer makes as its cache changes; any may be null. They run on the informer's loop,
/// one at a time, and get the cached instances: they must be quick and must not change them.</summary>
public sealed record InformerHandler<T>(Action<T>? OnAdd = null, Action<T, T>? OnUpdate = null, Action<T>? OnDelete = null)
    where T : KubernetesObject;
