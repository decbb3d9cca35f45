using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// Talks to a node's replication API on <c>http://&lt;podIP&gt;:&lt;admin port&gt;/replication</c>. Each call is
/// bounded by a short timeout so an unreachable node delays a step, never the whole reconcile. One client serves
/// both orchestrations: scale (pulls, streams, drops) and failover (promote, empty).
/// </summary>
public sealed partial class HttpNodeAdmin(HttpClient http, int adminPort, ILogger<HttpNodeAdmin> logger, TimeSpan? timeout = null)
    : INodeAdmin, IFailoverNodeAdmin
{
    /// <summary>Every bucket of the default table; a node hashes keys with the count given, so all are covered.</summary>
    private const string AllBuckets = "0-16383";
    private const int AllBucketsCount = 16384;

    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(3);

    /// <summary>
    /// The health probe's bound: short, because probes run every reconcile and a frozen node never answers; a healthy
    /// node answers /healthz in well under a millisecond.
    /// </summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<string?> StartPullAsync(string targetIP, string sourceIP, string buckets, int bucketCount, string token,
        long? bytesPerSecond, CancellationToken ct)
    {
        var fields = new Dictionary<string, object>
        {
            ["source"] = BaseUri(sourceIP).ToString(),
            ["buckets"] = buckets,
            ["bucketCount"] = bucketCount,
            ["mode"] = "warmup",
        };
        if (bytesPerSecond is { } cap)
            fields["bytesPerSecond"] = cap;
        string body = JsonSerializer.Serialize(fields);
        using var reply = await SendAsync(HttpMethod.Post, targetIP, "/replication/pulls", body, token, ct).ConfigureAwait(false);
        if (reply?.Document is not { } document)
            return null;
        return document.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
    }

    public async Task<IReadOnlyList<NodeStream>?> GetStreamsAsync(string podIP, string token, CancellationToken ct)
    {
        using var reply = await SendAsync(HttpMethod.Get, podIP, "/replication/streams", null, token, ct).ConfigureAwait(false);
        if (reply?.Document is not { } document || !document.RootElement.TryGetProperty("streams", out var streams))
            return null;
        return [.. streams.EnumerateArray().Select(s => new NodeStream(
            Text(s, "id"), Text(s, "role"), Text(s, "buckets"), Text(s, "phase"),
            Number(s, "items"), Number(s, "bytes"), Number(s, "lagEntries")))];
    }

    public async Task<bool> StopPullAsync(string targetIP, string pullId, string token, CancellationToken ct)
    {
        using var reply = await SendAsync(HttpMethod.Delete, targetIP, "/replication/pulls/" + Uri.EscapeDataString(pullId), null, token, ct).ConfigureAwait(false);
        return reply is not null && (reply.Ok || reply.Status == HttpStatusCode.NotFound);
    }

    public async Task<bool> DropAsync(string sourceIP, string buckets, int bucketCount, string token, CancellationToken ct)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, object> { ["buckets"] = buckets, ["bucketCount"] = bucketCount });
        using var reply = await SendAsync(HttpMethod.Post, sourceIP, "/replication/drop", body, token, ct).ConfigureAwait(false);
        return reply is { Ok: true };
    }

    public async Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct)
    {
        using var reply = await SendAsync(HttpMethod.Post, podIP, "/replication/promote", null, token, ct).ConfigureAwait(false);
        return reply is { Ok: true };
    }

    public Task<bool> EmptyAsync(string podIP, string token, CancellationToken ct) =>
        DropAsync(podIP, AllBuckets, AllBucketsCount, token, ct);

    public async Task<bool> ProbeAsync(string podIP, string token, CancellationToken ct)
    {
        // Not SendAsync: /healthz answers plain text, and its failures are expected often enough not to log each one.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri(podIP), "/healthz"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<Reply?> SendAsync(HttpMethod method, string podIP, string path, string? body, string token, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(BaseUri(podIP), path));
            if (body is not null)
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, method.Method, podIP, path, (int)response.StatusCode, text.Length > 200 ? text[..200] : text);
                return new Reply(response.StatusCode, null);
            }

            return new Reply(response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text) : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogUnreachable(logger, podIP, path, ex.Message);
            return null;
        }
    }

    private Uri BaseUri(string podIP)
    {
        string host = podIP.Contains(':', StringComparison.Ordinal) ? $"[{podIP}]" : podIP;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{adminPort}/"));
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.TryGetInt64(out long n) ? n : 0;

    private sealed record Reply(HttpStatusCode Status, JsonDocument? Document) : IDisposable
    {
        public bool Ok => (int)Status is >= 200 and < 300;

        public void Dispose() => Document?.Dispose();
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "node {PodIP}: {Path} unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string podIP, string path, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "node {PodIP} refused {Method} {Path}: HTTP {Code} {Reply}")]
    private static partial void LogRefused(ILogger logger, string method, string podIP, string path, int code, string reply);
}
