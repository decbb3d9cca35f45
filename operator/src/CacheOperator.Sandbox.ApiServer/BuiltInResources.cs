namespace CacheOperator.Sandbox.ApiServer;

/// <summary>The built-in kinds the sandbox serves; enough for the operator, kubectl and Helm.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } = WithColumns(
    [
        Core("Namespace", "namespaces", namespaced: false, ["ns"], hasStatus: true),
        Core("Pod", "pods", namespaced: true, ["po"], hasStatus: true, categories: ["all"]),
        Core("Service", "services", namespaced: true, ["svc"], hasStatus: true, categories: ["all"]),
        Core("Endpoints", "endpoints", namespaced: true, ["ep"], singular: "endpoints"),
        Core("ConfigMap", "configmaps", namespaced: true, ["cm"]),
        Core("Secret", "secrets", namespaced: true, []),
        Core("ServiceAccount", "serviceaccounts", namespaced: true, ["sa"]),
        Core("Event", "events", namespaced: true, ["ev"]),
        Core("Node", "nodes", namespaced: false, ["no"], hasStatus: true) with { KeepsStatusOnCreate = true },
        Apps("StatefulSet", "statefulsets", ["sts"]),
        Apps("Deployment", "deployments", ["deploy"]),
        new ResourceType
        {
            Group = "apps", Version = "v1", Kind = "ReplicaSet", Plural = "replicasets", Singular = "replicaset",
            Namespaced = true, ShortNames = ["rs"], Categories = ["all"], HasStatus = true,
            Scale = ScaleSubresource.BuiltIn,
        },
        Other("policy", "PodDisruptionBudget", "poddisruptionbudgets", namespaced: true, ["pdb"], hasStatus: true),
        Other("networking.k8s.io", "NetworkPolicy", "networkpolicies", namespaced: true, ["netpol"]),
        Other("coordination.k8s.io", "Lease", "leases", namespaced: true, []),
        Other("rbac.authorization.k8s.io", "Role", "roles", namespaced: true, []),
        Other("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", namespaced: true, []),
        Other("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", namespaced: false, []),
        Other("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", namespaced: false, []),
        Other("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", namespaced: false,
            ["crd", "crds"], hasStatus: true),
    ]);

    private static List<ResourceType> WithColumns(List<ResourceType> types) =>
        [.. types.Select(t => t with { PrinterColumns = BuiltInColumns.For(t.Plural) })];

    private static ResourceType Core(
        string kind, string plural, bool namespaced, string[] shortNames, bool hasStatus = false,
        string[]? categories = null, string? singular = null) =>
        Other("", kind, plural, namespaced, shortNames, hasStatus, categories, singular);

    private static ResourceType Apps(string kind, string plural, string[] shortNames) =>
        new()
        {
            Group = "apps", Version = "v1", Kind = kind, Plural = plural, Singular = kind.ToLowerInvariant(),
            Namespaced = true, ShortNames = shortNames, Categories = ["all"], HasStatus = true,
            Scale = ScaleSubresource.BuiltIn,
        };

    private static ResourceType Other(
        string group, string kind, string plural, bool namespaced, string[] shortNames, bool hasStatus = false,
        string[]? categories = null, string? singular = null) =>
        new()
        {
            Group = group,
            Version = "v1",
            Kind = kind,
            Plural = plural,
            Singular = singular ?? kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ShortNames = shortNames,
            Categories = categories ?? [],
            HasStatus = hasStatus,
        };
}
