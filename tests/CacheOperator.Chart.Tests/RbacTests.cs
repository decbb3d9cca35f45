using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

/// <summary>The operator gets exactly the rights it needs, and no wildcard, in every shape of the chart.</summary>
public sealed class RbacTests(HelmCli helm) : IClassFixture<HelmCli>
{
    public static TheoryData<string> Variants => ChartValues.Variants;

    [Theory]
    [MemberData(nameof(Variants))]
    public void NoRole_NamesAWildcard(string setValues)
    {
        var chart = helm.Render(ChartValues.Set(setValues));

        foreach (var role in chart.OfKind("Role").Concat(chart.OfKind("ClusterRole")))
        {
            Assert.DoesNotContain(RbacRules.AllNames(role), name => name.Contains('*', StringComparison.Ordinal));
            Assert.Null(role["aggregationRule"]);
        }
    }

    [Fact]
    public void AllNamespaces_ClusterRoleHoldsExactlyTheManagerRules_BoundToTheOperatorsServiceAccount()
    {
        var chart = helm.Render();

        var clusterRole = chart.Single("ClusterRole");
        AssertSamePermissions(RbacRules.Manager, RbacRules.Flatten(clusterRole));
        AssertBinds(chart.Single("ClusterRoleBinding"), "ClusterRole", RenderedChart.Name(clusterRole), ServiceAccountOf(chart));
    }

    [Fact]
    public void AllNamespaces_LeaseRightsAreOnlyInTheReleaseNamespace()
    {
        var chart = helm.Render();

        var role = Assert.Single(chart.OfKind("Role"));
        Assert.Equal(HelmCli.ReleaseNamespace, RenderedChart.Namespace(role));
        AssertSamePermissions(RbacRules.LeaderElection, RbacRules.Flatten(role));
        var binding = Assert.Single(chart.OfKind("RoleBinding"));
        Assert.Equal(HelmCli.ReleaseNamespace, RenderedChart.Namespace(binding));
        AssertBinds(binding, "Role", RenderedChart.Name(role), ServiceAccountOf(chart));
    }

    [Fact]
    public void WatchNamespace_SwitchesTheClusterRoleForARoleInThatNamespace()
    {
        var chart = helm.Render("--set", "watchNamespace=apps");

        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        var manager = Assert.Single(chart.OfKind("Role"), r => RenderedChart.Namespace(r) == "apps");
        AssertSamePermissions(RbacRules.Manager, RbacRules.Flatten(manager));
        var binding = Assert.Single(chart.OfKind("RoleBinding"), b => RenderedChart.Namespace(b) == "apps");
        AssertBinds(binding, "Role", RenderedChart.Name(manager), ServiceAccountOf(chart));

        var lease = Assert.Single(chart.OfKind("Role"), r => RenderedChart.Namespace(r) == HelmCli.ReleaseNamespace);
        AssertSamePermissions(RbacRules.LeaderElection, RbacRules.Flatten(lease));
    }

    [Fact]
    public void RbacCreateFalse_RendersNoRolesOrBindings()
    {
        var chart = helm.Render("--set", "rbac.create=false");

        foreach (var kind in new[] { "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding" })
        {
            Assert.Empty(chart.OfKind(kind));
        }
    }

    [Fact]
    public void ExistingServiceAccount_IsUsedAndBound_AndNoneIsCreated()
    {
        var chart = helm.Render("--set", "serviceAccount.create=false,serviceAccount.name=existing");

        Assert.Empty(chart.OfKind("ServiceAccount"));
        Assert.Equal("existing", (string?)chart.Single("Deployment")["spec"]?["template"]?["spec"]?["serviceAccountName"]);
        AssertBinds(chart.Single("ClusterRoleBinding"), "ClusterRole", RenderedChart.Name(chart.Single("ClusterRole")), "existing");
    }

    private static string ServiceAccountOf(RenderedChart chart)
    {
        var name = (string?)chart.Single("Deployment")["spec"]?["template"]?["spec"]?["serviceAccountName"];
        Assert.False(string.IsNullOrEmpty(name), "the Deployment names no serviceAccountName");
        Assert.Equal(name, RenderedChart.Name(chart.Single("ServiceAccount")));
        return name;
    }

    private static void AssertBinds(JsonObject binding, string roleKind, string roleName, string serviceAccount)
    {
        Assert.Equal("rbac.authorization.k8s.io", (string?)binding["roleRef"]?["apiGroup"]);
        Assert.Equal(roleKind, (string?)binding["roleRef"]?["kind"]);
        Assert.Equal(roleName, (string?)binding["roleRef"]?["name"]);
        var subject = Assert.Single(binding["subjects"]!.AsArray());
        Assert.Equal("ServiceAccount", (string?)subject?["kind"]);
        Assert.Equal(serviceAccount, (string?)subject?["name"]);
        Assert.Equal(HelmCli.ReleaseNamespace, (string?)subject?["namespace"]);
    }

    /// <summary>Names the missing and the extra permissions rather than dumping two sets.</summary>
    private static void AssertSamePermissions(SortedSet<string> expected, SortedSet<string> actual)
    {
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing: [{string.Join(", ", missing)}]; extra: [{string.Join(", ", extra)}]");
    }
}
