using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

/// <summary>
/// RBAC rules flattened to "group/resource:verb" permissions, so two roles compare as sets whatever way
/// their rules are grouped, and a failure names the exact permission that differs.
/// </summary>
internal static class RbacRules
{
    private static readonly string[] FullControl = ["get", "list", "watch", "create", "update", "patch", "delete"];

    /// <summary>Exactly what the operator needs on the objects it reconciles (the manager role).</summary>
    public static SortedSet<string> Manager { get; } = Build(
        ("cacheoperator.io", ["cacheclusters"], ["get", "list", "watch"]),
        ("cacheoperator.io", ["cacheclusters/status"], ["update", "patch"]),
        ("cacheoperator.io", ["cacheclusters/finalizers"], ["update"]),
        ("apps", ["statefulsets", "deployments"], FullControl),
        ("", ["services", "configmaps", "secrets", "serviceaccounts"], FullControl),
        ("policy", ["poddisruptionbudgets"], FullControl),
        ("networking.k8s.io", ["networkpolicies"], FullControl),
        ("", ["pods"], ["get", "list", "watch", "delete"]),
        ("", ["events"], ["create", "patch"]));

    /// <summary>What leader election needs on its Lease.</summary>
    public static SortedSet<string> LeaderElection { get; } = Build(
        ("coordination.k8s.io", ["leases"], ["get", "create", "update", "patch"]));

    public static SortedSet<string> Flatten(JsonObject role)
    {
        var permissions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in role["rules"]?.AsArray() ?? [])
        {
            Assert.Null(rule?["nonResourceURLs"]);
            foreach (var group in Strings(rule?["apiGroups"]))
            {
                foreach (var resource in Strings(rule?["resources"]))
                {
                    foreach (var verb in Strings(rule?["verbs"]))
                    {
                        permissions.Add(Permission(group, resource, verb));
                    }
                }
            }
        }

        return permissions;
    }

    /// <summary>Every apiGroup, resource and verb a role names, for the wildcard check.</summary>
    public static IEnumerable<string> AllNames(JsonObject role) =>
        (role["rules"]?.AsArray() ?? []).SelectMany(rule =>
            Strings(rule?["apiGroups"]).Concat(Strings(rule?["resources"])).Concat(Strings(rule?["verbs"])).Concat(Strings(rule?["resourceNames"])));

    private static SortedSet<string> Build(params (string Group, string[] Resources, string[] Verbs)[] rules) =>
        new(rules.SelectMany(r => r.Resources.SelectMany(resource => r.Verbs.Select(verb => Permission(r.Group, resource, verb)))), StringComparer.Ordinal);

    private static string Permission(string group, string resource, string verb) => $"{(group.Length == 0 ? "core" : group)}/{resource}:{verb}";

    private static IEnumerable<string> Strings(JsonNode? array) => (array?.AsArray() ?? []).Select(n => (string?)n ?? "");
}
