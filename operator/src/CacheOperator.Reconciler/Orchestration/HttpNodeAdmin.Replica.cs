using System.Globalization;
using System.Text.Json;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The replica half of the node admin client: replica-mode pulls of a whole shard.</summary>
public sealed partial class HttpNodeAdmin : IReplicaNodeAdmin
{
    /// <summary>
    /// Every bucket: a primary holds only its own shard's keys (plus, during a scale-out, the buckets it is being
    /// warmed with), so "all" mirrors exactly what it has, survives ring changes without restarting the stream,
    /// and needs no bucket list when a shard owns none yet (a new shard before its table is published).
    /// </summary>
    public async Task<string?> StartReplicaPullAsync(string replicaIP, string primaryIP, string token, CancellationToken ct)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["source"] = BaseUri(primaryIP).ToString(),
            ["buckets"] = AllBuckets,
            ["bucketCount"] = AllBucketsCount,
            ["mode"] = "replica",
        });
        using var reply = await SendAsync(HttpMethod.Post, replicaIP, "/replication/pulls", body, token, ct).ConfigureAwait(false);
        if (reply?.Document is not { } document)
            return null;
        return document.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
    }

    public async Task<IReadOnlyList<ReplicaPull>?> GetReplicaPullsAsync(string podIP, string token, CancellationToken ct)
    {
        using var reply = await SendAsync(HttpMethod.Get, podIP, "/replication/streams", null, token, ct).ConfigureAwait(false);
        if (reply?.Document is not { } document || !document.RootElement.TryGetProperty("streams", out var streams))
            return null;
        return [.. streams.EnumerateArray().Where(s => Text(s, "role") == "replica").Select(s => new ReplicaPull(
            Text(s, "id"), HostOf(Text(s, "peer")), Text(s, "phase"), Number(s, "items"), Number(s, "lagEntries"),
            DateTimeOffset.TryParse(Text(s, "startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started) ? started : null,
            s.TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null))];
    }

    /// <summary>The IP a pull's source URL names, without IPv6 brackets; empty when it is not a URL.</summary>
    public static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : "";
}
