namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// A container cannot start because something its spec refers to is missing (a ConfigMap, a Secret, a key):
/// reported as waiting with reason <c>CreateContainerConfigError</c>, retried on the next sync.
/// </summary>
public sealed class ContainerConfigException(string message) : Exception(message)
{
    public const string ReasonName = "CreateContainerConfigError";
}
