using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// Table columns for the built-ins kubectl users look at most, close to what a real server prints. A jsonPath
/// starting with `@` names a value computed by <see cref="TableConverter"/> (READY counts, pod status).
/// </summary>
internal static class BuiltInColumns
{
    public static JsonArray? For(string plural) => plural switch
    {
        "pods" => Columns(
            ("Ready", "string", "@podReady", 0), ("Status", "string", "@podStatus", 0), ("Restarts", "integer", "@podRestarts", 0),
            ("Age", "date", ".metadata.creationTimestamp", 0), ("IP", "string", ".status.podIP", 1), ("Node", "string", ".spec.nodeName", 1)),
        "deployments" => Columns(
            ("Ready", "string", "@readyReplicas", 0), ("Up-to-date", "integer", ".status.updatedReplicas", 0),
            ("Available", "integer", ".status.availableReplicas", 0), ("Age", "date", ".metadata.creationTimestamp", 0)),
        "statefulsets" or "replicasets" => Columns(("Ready", "string", "@readyReplicas", 0), ("Age", "date", ".metadata.creationTimestamp", 0)),
        "services" => Columns(
            ("Type", "string", ".spec.type", 0), ("Cluster-IP", "string", ".spec.clusterIP", 0), ("External-IP", "string", "@none", 0),
            ("Port(s)", "string", "@servicePorts", 0), ("Age", "date", ".metadata.creationTimestamp", 0)),
        "nodes" => Columns(
            ("Status", "string", "@nodeStatus", 0), ("Roles", "string", "@none", 0), ("Age", "date", ".metadata.creationTimestamp", 0),
            ("Version", "string", ".status.nodeInfo.kubeletVersion", 0)),
        "namespaces" => Columns(("Status", "string", ".status.phase", 0), ("Age", "date", ".metadata.creationTimestamp", 0)),
        "configmaps" => Columns(("Data", "integer", "@dataCount", 0), ("Age", "date", ".metadata.creationTimestamp", 0)),
        "secrets" => Columns(("Type", "string", ".type", 0), ("Data", "integer", "@dataCount", 0), ("Age", "date", ".metadata.creationTimestamp", 0)),
        // As the real server: no Name column first (kubectl get events shows what happened to which object).
        "events" => Columns(
            ("Last Seen", "date", "@eventLastSeen", 0), ("Type", "string", ".type", 0), ("Reason", "string", ".reason", 0),
            ("Object", "string", "@eventObject", 0), ("Source", "string", ".source.component", 1), ("Message", "string", ".message", 0),
            ("First Seen", "date", ".firstTimestamp", 1), ("Count", "integer", "@eventCount", 1), ("Name", "string", ".metadata.name", 1)),
        _ => null,
    };

    private static JsonArray Columns(params (string Name, string Type, string JsonPath, int Priority)[] columns) =>
        new([.. columns.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["type"] = c.Type,
            ["jsonPath"] = c.JsonPath,
            ["priority"] = c.Priority,
        })]);
}
