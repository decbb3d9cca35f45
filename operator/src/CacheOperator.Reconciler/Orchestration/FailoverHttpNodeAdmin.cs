using System.Net.Http.Headers;
using CacheOperator.Reconciler.Desired;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>Calls a node's admin port; bounded by a short timeout so a dead node cannot hold up the reconcile.</summary>
public sealed class FailoverHttpNodeAdmin(HttpClient http, int adminPort = Ports.Admin, TimeSpan? timeout = null) : IFailoverNodeAdmin
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(2);

    public async Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        string host = podIP.Contains(':', StringComparison.Ordinal) ? $"[{podIP}]" : podIP;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{host}:{adminPort}/replication/promote"));
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
