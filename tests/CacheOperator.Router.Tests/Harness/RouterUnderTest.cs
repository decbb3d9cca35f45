using System.Net.Http.Headers;
using CacheOperator.Ring;
using CacheOperator.Router.Hosting;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>The router hosted in the test process on ephemeral ports, reading its ring from a temporary file.</summary>
internal sealed class RouterUnderTest : IAsyncDisposable
{
    public const string Token = "router-test-token";

    private readonly string _directory;

    private RouterUnderTest(string directory, RouterHost host)
    {
        _directory = directory;
        Host = host;
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.AdminEndPoint.Port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public RouterHost Host { get; }

    public HttpClient Admin { get; }

    public int Port => Host.MemcachedEndPoint.Port;

    public string RingFile => Path.Combine(_directory, "ring.json");

    public static async Task<RouterUnderTest> StartAsync(CacheRing ring)
    {
        var directory = Directory.CreateTempSubdirectory("router-test-").FullName;
        var file = Path.Combine(directory, "ring.json");
        await File.WriteAllBytesAsync(file, RingFactory.Json(ring));
        var host = RouterHost.Create(new RouterOptions
        {
            RingFile = file,
            Port = 0,
            AdminPort = 0,
            Threads = 1,
            ClusterToken = Token,
            RingFilePollInterval = TimeSpan.FromMilliseconds(100),
        });
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new RouterUnderTest(directory, host);
    }

    public TextClient Connect() => new(Port);

    public async Task<HttpResponseMessage> PostRingAsync(CacheRing ring, string? token = Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ring") { Content = new ByteArrayContent(RingFactory.Json(ring)) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Admin.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Host.StopAsync();
        await Host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
