using System.Globalization;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>A shrunk cluster's node pods as the StatefulSet leaves them, and the roles its status gives them.</summary>
internal static class NodePods
{
    /// <summary>Waits until exactly pods 0 … count−1 of the default pool exist, and checks the StatefulSet asks for that many.</summary>
    public static async Task ShrunkToAsync(ProductSandbox sandbox, string cluster, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{cluster}-default-{i}")).ToHashSet(StringComparer.Ordinal);
        await sandbox.EventuallyAsync($"the StatefulSet at {count} pods and the others gone",
            async () => (await sandbox.Client.ListAsync<Pod>("default", new() { LabelSelector = $"app.kubernetes.io/instance={cluster},app.kubernetes.io/component=node" })).Items,
            items => items.Count == count && items.All(p => names.Contains(p.Metadata.Name!)), seconds: 120);
        Xunit.Assert.Equal(count, (await sandbox.Client.GetAsync<StatefulSet>("default", $"{cluster}-default"))!.Spec.Replicas);
    }

    /// <summary>"demo-default-0=primary", … from the cluster's status, in its order.</summary>
    public static IReadOnlyList<string> Roles(string clusterJson) =>
        [.. ClusterView.StatusOf(clusterJson).GetProperty("members").EnumerateArray()
            .Select(m => $"{m.GetProperty("name").GetString()}={m.GetProperty("role").GetString()}")];
}
