using CacheOperator.Protocol;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CacheOperator.Server.Admin;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Tests.Observability;

/// <summary>The admin endpoints on a real Kestrel listener on 127.0.0.1 and an ephemeral port.</summary>
public sealed class AdminEndpointTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";

    private readonly CacheStore _store = new(new CacheStoreOptions { EnableCrawler = false });
    private WebApplication? _app;
    private HttpClient? _client;

    private WebApplication App => _app ?? throw new InvalidOperationException("not started");

    private HttpClient Client => _client ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(_store);
        builder.Services.AddSingleton(new NodeOptions { Port = 0, AdminPort = 0 });
        builder.Services.AddSingleton(new ClusterToken(Token));
        builder.Services.AddNodeObservability();
        _app = builder.Build();
        _app.MapAdminEndpoints();
        _app.MapPost("/protected", () => Results.Text("done")).RequireClusterToken();
        await _app.StartAsync();

        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _store.Dispose();
    }

    [Fact]
    public async Task Healthz_Returns200Ok()
    {
        using HttpResponseMessage response = await Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_FollowsNodeReadiness()
    {
        NodeReadiness readiness = App.Services.GetRequiredService<NodeReadiness>();
        var uri = new Uri("/readyz", UriKind.Relative);

        using (HttpResponseMessage before = await Client.GetAsync(uri))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        readiness.MarkReady();
        using (HttpResponseMessage ready = await Client.GetAsync(uri))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        readiness.MarkStopping();
        using (HttpResponseMessage stopping = await Client.GetAsync(uri))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stopping.StatusCode);
    }

    [Fact]
    public async Task Metrics_ServesPrometheusText()
    {
        App.Services.GetRequiredService<NodeMetrics>().RecordCommand(CommandType.Get, CommandResult.Hit);

        using HttpResponseMessage response = await Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("cachenode_commands_total{command=\"get\",result=\"hit\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("\ncachenode_items 0\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ServesJson()
    {
        App.Services.GetRequiredService<NodeMetrics>().RecordCommand(CommandType.Get, CommandResult.Miss);

        using HttpResponseMessage response = await Client.GetAsync(new Uri("/stats", UriKind.Relative));
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, json.RootElement.GetProperty("general").GetProperty("get_misses").GetInt64());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong", HttpStatusCode.Unauthorized)]
    [InlineData("Basic " + Token, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer " + Token, HttpStatusCode.OK)]
    [InlineData("bearer " + Token, HttpStatusCode.OK)]
    public async Task ProtectedEndpoint_RequiresClusterToken(string? authorization, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/protected", UriKind.Relative));
        if (authorization is not null)
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);

        using HttpResponseMessage response = await Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ClusterToken_NotConfigured_RefusesEverything(string? configured)
    {
        var token = new ClusterToken(configured);

        Assert.False(token.IsConfigured);
        Assert.False(token.Verify("Bearer "));
        Assert.False(token.Verify("Bearer " + configured));
    }
}
