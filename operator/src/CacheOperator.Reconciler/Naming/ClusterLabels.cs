namespace CacheOperator.Reconciler.Naming;

/// <summary>The labels on every object and pod of a cluster, and the selectors built from them.</summary>
public static class ClusterLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Pool = "cacheoperator.io/pool";

    public const string AppName = "cache-node";
    public const string Manager = "cache-operator";
    public const string NodeComponent = "node";
    public const string RouterComponent = "router";

    /// <summary>The operator's own pods carry this name label (the chart sets it); network policies admit them.</summary>
    public const string OperatorAppName = "cache-operator";

    /// <summary>Labels of the cluster's objects that belong to no particular component (Secret, ConfigMap).</summary>
    public static SortedDictionary<string, string> Common(string cluster) => new(StringComparer.Ordinal)
    {
        [Name] = AppName,
        [Instance] = cluster,
        [ManagedBy] = Manager,
    };

    /// <summary>Labels of node pods (and their StatefulSet, PDB) of one pool.</summary>
    public static SortedDictionary<string, string> Node(string cluster, string pool)
    {
        var labels = Common(cluster);
        labels[Component] = NodeComponent;
        labels[Pool] = pool;
        return labels;
    }

    /// <summary>Labels of router pods and their Deployment.</summary>
    public static SortedDictionary<string, string> Router(string cluster)
    {
        var labels = Common(cluster);
        labels[Component] = RouterComponent;
        return labels;
    }

    /// <summary>Selects every node pod of a cluster, all pools.</summary>
    public static SortedDictionary<string, string> NodeSelector(string cluster) => new(StringComparer.Ordinal)
    {
        [Name] = AppName,
        [Instance] = cluster,
        [Component] = NodeComponent,
    };

    /// <summary>Selects the node pods of one pool (a StatefulSet's selector: immutable, so kept minimal).</summary>
    public static SortedDictionary<string, string> PoolSelector(string cluster, string pool)
    {
        var labels = NodeSelector(cluster);
        labels[Pool] = pool;
        return labels;
    }

    public static SortedDictionary<string, string> RouterSelector(string cluster) => new(StringComparer.Ordinal)
    {
        [Name] = AppName,
        [Instance] = cluster,
        [Component] = RouterComponent,
    };

    /// <summary>A selector as the text form (<c>a=b,c=d</c>) used in status.selector and list calls.</summary>
    public static string Format(IReadOnlyDictionary<string, string> selector) =>
        string.Join(',', selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
