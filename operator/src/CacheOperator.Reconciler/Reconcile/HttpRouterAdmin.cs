using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// Talks to <c>http://&lt;podIP&gt;:&lt;admin port&gt;</c>. Each call is bounded by a short timeout: a router that
/// does not answer must not hold up the reconcile of its cluster (it is retried on the next one).
/// </summary>
public sealed partial class HttpRouterAdmin(HttpClient http, int adminPort, ILogger<HttpRouterAdmin> logger, TimeSpan? timeout = null) : IRouterAdmin
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(2);

    public async Task<long?> GetRingVersionAsync(string podIP, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        try
        {
            using var response = await http.GetAsync(Uri(podIP, "/ring/version"), deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return null;
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: deadline.Token).ConfigureAwait(false);
            return document.RootElement.TryGetProperty("version", out var version) && version.TryGetInt64(out long value) ? value : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogUnreachable(logger, podIP, ex.Message);
            return null;
        }
    }

    public async Task<bool> PushRingAsync(string podIP, string ringJson, string token, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Uri(podIP, "/ring"))
            {
                Content = new StringContent(ringJson, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return true;
            string reply = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            LogRefused(logger, podIP, (int)response.StatusCode, reply.Length > 200 ? reply[..200] : reply);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogUnreachable(logger, podIP, ex.Message);
            return false;
        }
    }

    private Uri Uri(string podIP, string path)
    {
        string host = podIP.Contains(':', StringComparison.Ordinal) ? $"[{podIP}]" : podIP;
        return new Uri($"http://{host}:{adminPort}{path}");
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "router {PodIP}: admin endpoint unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string podIP, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "router {PodIP} refused the ring: HTTP {Code} {Reply}")]
    private static partial void LogRefused(ILogger logger, string podIP, int code, string reply);
}
