using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>A node's replication admin API on 127.0.0.1, presenting a bearer token (or none).</summary>
public sealed class AdminClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    public AdminClient(int adminPort, string? token)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{adminPort}/")),
            Timeout = TimeSpan.FromSeconds(10),
        };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public static string SourceUrl(int adminPort) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{adminPort}");

    public async Task<HttpStatusCode> StatusOfGetAsync(string path, CancellationToken cancellation)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellation);
        return response.StatusCode;
    }

    public async Task<StreamView> StartPullAsync(int sourceAdminPort, string buckets, string mode, CancellationToken cancellation, long? bytesPerSecond = null)
    {
        using var response = await _http.PostAsJsonAsync(
            new Uri("replication/pulls", UriKind.Relative),
            new { source = SourceUrl(sourceAdminPort), buckets, bucketCount = 16384, mode, bytesPerSecond },
            Json,
            cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /replication/pulls answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<StreamView>(body, Json)!;
    }

    public async Task<ReplicationView> StreamsAsync(CancellationToken cancellation)
    {
        using var response = await _http.GetAsync(new Uri("replication/streams", UriKind.Relative), cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        Assert.True(response.IsSuccessStatusCode, $"GET /replication/streams answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<ReplicationView>(body, Json)!;
    }

    public async Task PromoteAsync(CancellationToken cancellation)
    {
        using var response = await _http.PostAsync(new Uri("replication/promote", UriKind.Relative), content: null, cancellation);
        Assert.True(response.IsSuccessStatusCode, $"POST /replication/promote answered {(int)response.StatusCode}");
    }

    /// <summary>Polls GET /replication/streams until the condition holds; fails with the last view at the deadline.</summary>
    public async Task<ReplicationView> WaitForAsync(Func<ReplicationView, bool> condition, TimeSpan timeout, string what, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var view = await StreamsAsync(cancellation);
            if (condition(view))
            {
                return view;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not {what} within {timeout.TotalSeconds:0}s; last view: {view}");
            }

            await Task.Delay(100, cancellation);
        }
    }

    public void Dispose() => _http.Dispose();
}
