using System.Text.Json;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Ring;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>What the end-to-end tests read of a CacheCluster: its status as kubectl prints it, and its ring ConfigMap.</summary>
internal static class ClusterView
{
    public static JsonElement StatusOf(string clusterJson) =>
        JsonDocument.Parse(clusterJson).RootElement.TryGetProperty("status", out var status) ? status.Clone() : default;

    /// <summary>A condition's status ("True", "False", ...), or null when the status has no such condition.</summary>
    public static string? Condition(JsonElement status, string type) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conditions)
            ? conditions.EnumerateArray().Where(c => c.GetProperty("type").GetString() == type).Select(c => c.GetProperty("status").GetString()).FirstOrDefault()
            : null;

    /// <summary>The published ring and the orchestration state stored beside it (null when none was ever stored).</summary>
    public static async Task<(CacheRing Ring, JsonElement? Operation)> ReadRingAsync(ProductSandbox sandbox, string cluster, string ns = "default")
    {
        var data = (await sandbox.Client.GetAsync<ConfigMap>(ns, $"{cluster}-ring"))!.Data!;
        var operation = data.TryGetValue("orchestration.json", out var json) && !string.IsNullOrWhiteSpace(json)
            ? JsonDocument.Parse(json).RootElement.Clone()
            : (JsonElement?)null;
        return (RingDocument.Parse(data["ring.json"]), operation);
    }
}
