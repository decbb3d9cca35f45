namespace CacheOperator.Sandbox.Controllers.Scheduling;

/// <summary>
/// Picks a node for a pod: Ready, not cordoned, carrying every label of the pod's nodeSelector; among those the
/// one with the fewest pods (ties by name, so the choice is reproducible). Taints, affinity and resources are not
/// considered: the sandbox has one node and no scarcity to arbitrate.
/// </summary>
public static class NodeChooser
{
    public static NodeFacts? Choose(IEnumerable<NodeFacts> nodes, IDictionary<string, string>? nodeSelector) => nodes
        .Where(n => n.Ready && !n.Unschedulable && Selects(nodeSelector, n.Labels))
        .OrderBy(n => n.PodCount)
        .ThenBy(n => n.Name, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>Why no node fits, in the scheduler's words (the PodScheduled condition's message).</summary>
    public static string Explain(IReadOnlyCollection<NodeFacts> nodes, IDictionary<string, string>? nodeSelector)
    {
        int notReady = nodes.Count(n => !n.Ready);
        int cordoned = nodes.Count(n => n.Ready && n.Unschedulable);
        int mismatched = nodes.Count(n => n.Ready && !n.Unschedulable && !Selects(nodeSelector, n.Labels));
        var reasons = new List<string>();
        if (notReady > 0)
            reasons.Add($"{notReady} node(s) not ready");
        if (cordoned > 0)
            reasons.Add($"{cordoned} node(s) were unschedulable");
        if (mismatched > 0)
            reasons.Add($"{mismatched} node(s) didn't match Pod's node affinity/selector");
        return $"0/{nodes.Count} nodes are available" + (reasons.Count > 0 ? ": " + string.Join(", ", reasons) : "") + ".";
    }

    private static bool Selects(IDictionary<string, string>? selector, IReadOnlyDictionary<string, string> labels) =>
        selector is null || selector.All(s => labels.TryGetValue(s.Key, out string? value) && value == s.Value);
}
