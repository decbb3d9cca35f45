namespace CacheOperator.Kubernetes.Fakes;

/// <summary>The IKubernetesClient calls the fake logs and can be told to fail.</summary>
public enum FakeVerb
{
    Get,
    List,
    Watch,
    Create,
    Replace,
    ReplaceStatus,
    Delete,
    Patch,
    Apply,
}
