namespace CacheOperator.Reconciler.Naming;

/// <summary>
/// The deterministic names of everything a CacheCluster owns. Level-based reconcile depends on them: the
/// operator finds its objects again by name, never by remembering what it created.
/// </summary>
public sealed class ClusterNames(string clusterName, string ns)
{
    public string Cluster { get; } = clusterName;

    public string Namespace { get; } = ns;

    /// <summary>Secret with the admin/replication token.</summary>
    public string TokenSecret => $"{Cluster}-token";

    /// <summary>ConfigMap with the ring document and the member assignment.</summary>
    public string RingConfigMap => $"{Cluster}-ring";

    /// <summary>Headless Service of every node pod (the StatefulSets' serviceName).</summary>
    public string NodesService => $"{Cluster}-nodes";

    /// <summary>The client-facing Service in front of the routers.</summary>
    public string RouterService => Cluster;

    public string RouterDeployment => $"{Cluster}-router";

    public string NodesNetworkPolicy => $"{Cluster}-nodes";

    public string RouterNetworkPolicy => $"{Cluster}-router";

    /// <summary>StatefulSet of a pool (also the name of its PodDisruptionBudget).</summary>
    public string StatefulSet(string pool) => $"{Cluster}-{pool}";

    public string PodDisruptionBudget(string pool) => $"{Cluster}-{pool}";

    /// <summary>Pod name the StatefulSet controller gives an ordinal.</summary>
    public string Pod(string pool, int ordinal) => $"{Cluster}-{pool}-{ordinal}";

    /// <summary>
    /// The pod's stable DNS name through the headless Service. Used in the ring only until the pod has an IP:
    /// it is unique per pod (the ring requires that) and resolves in a real cluster.
    /// </summary>
    public string PodDnsName(string pool, int ordinal) => $"{Pod(pool, ordinal)}.{NodesService}.{Namespace}.svc";
}
