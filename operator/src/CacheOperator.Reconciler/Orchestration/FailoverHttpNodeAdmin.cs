using System.Net.Http.Headers;
using CacheOperator.Reconciler.Desired;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>Calls a node's admin port; bounded by a short timeout so a dead node cannot hold up the reconcile.</summary>
public sealed class FailoverHttpNodeAdmin(HttpClient http, int adminPort = Ports.Admin, TimeSpan? timeout = null) : IFailoverNodeAdmin
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(2);

    /// <summary>Every bucket of the default table; a node hashes keys with the count given, so all are covered.</summary>
    private const string AllBuckets = """{"buckets":"0-16383","bucketCount":16384}""";

    public Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct) =>
        PostAsync(podIP, "/replication/promote", null, token, ct);

    public Task<bool> EmptyAsync(string podIP, string token, CancellationToken ct) =>
        PostAsync(podIP, "/replication/drop", AllBuckets, token, ct);

    private async Task<bool> PostAsync(string podIP, string path, string? json, string token, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        string host = podIP.Contains(':', StringComparison.Ordinal) ? $"[{podIP}]" : podIP;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{host}:{adminPort}{path}"));
            if (json is not null)
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
