using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CacheOperator.Reconciler.Orchestration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>The replica calls of the node admin client against a stub node on 127.0.0.1 speaking the node's JSON.</summary>
public sealed class HttpNodeAdminReplicaTests
{
    // As GET /replication/streams answers (ReplicationStatus/StreamStatus, web JSON): a source, a warm-up and a replica pull.
    private const string Streams = """
        {"readOnlyReplica":true,"totalRestarts":1,"totalOverflows":0,"streams":[
          {"id":"source-1","role":"source","peer":"10.0.0.7:5000","buckets":"0-16383","bucketCount":16384,"phase":"Tailing","items":5,"bytes":9,"logEntries":0,"lastSequence":0,"sourceSequence":0,"lagEntries":0,"lagMilliseconds":0,"restarts":0,"overflows":0,"pendingLogBytes":0,"startedAt":"2026-11-21T12:00:00+00:00","lastError":null},
          {"id":"pull-2","role":"target","peer":"http://10.0.0.8:11212/","buckets":"0-99","bucketCount":16384,"phase":"Tailing","items":5,"bytes":9,"logEntries":0,"lastSequence":0,"sourceSequence":0,"lagEntries":0,"lagMilliseconds":0,"restarts":0,"overflows":0,"pendingLogBytes":0,"startedAt":"2026-11-21T12:00:00+00:00","lastError":null},
          {"id":"pull-3","role":"replica","peer":"http://10.0.0.9:11212/","buckets":"0-16383","bucketCount":16384,"phase":"Held","items":700,"bytes":9000,"logEntries":12,"lastSequence":40,"sourceSequence":43,"lagEntries":3,"lagMilliseconds":15,"restarts":0,"overflows":0,"pendingLogBytes":0,"startedAt":"2026-11-21T12:00:01.5+00:00","lastError":"source closed the stream"}
        ]}
        """;

    [Fact]
    public async Task ReplicaPulls_AreParsed_AndAPullIsStartedInReplicaModeOfEveryBucket()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        string? body = null, auth = null;
        var serving = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                var context = await server.GetContextAsync();
                auth = context.Request.Headers["Authorization"];
                string reply;
                if (context.Request.HttpMethod == "POST")
                {
                    using var reader = new StreamReader(context.Request.InputStream);
                    body = await reader.ReadToEndAsync();
                    context.Response.StatusCode = 201;
                    reply = """{"id":"pull-4","role":"replica"}""";
                }
                else
                {
                    reply = Streams;
                }

                byte[] bytes = Encoding.UTF8.GetBytes(reply);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });

        using var http = new HttpClient();
        var admin = new HttpNodeAdmin(http, port, NullLogger<HttpNodeAdmin>.Instance, TimeSpan.FromSeconds(10));
        var pulls = await admin.GetReplicaPullsAsync("127.0.0.1", "tok", CancellationToken.None);
        string? id = await admin.StartReplicaPullAsync("127.0.0.1", "10.0.0.9", "tok", CancellationToken.None);
        await serving.WaitAsync(TimeSpan.FromSeconds(10));

        var pull = Assert.Single(pulls!);
        Assert.Equal(new ReplicaPull("pull-3", "10.0.0.9", "Held", 700, 3, new DateTimeOffset(2026, 11, 21, 12, 0, 1, 500, TimeSpan.Zero), "source closed the stream"), pull);
        Assert.True(pull.HoldsShard);
        Assert.Equal("pull-4", id);
        Assert.Equal("Bearer tok", auth);
        using var sent = JsonDocument.Parse(body!);
        Assert.Equal($"http://10.0.0.9:{port}/", sent.RootElement.GetProperty("source").GetString());
        Assert.Equal("0-16383", sent.RootElement.GetProperty("buckets").GetString());
        Assert.Equal(16384, sent.RootElement.GetProperty("bucketCount").GetInt32());
        Assert.Equal("replica", sent.RootElement.GetProperty("mode").GetString());
    }

    [Theory]
    [InlineData("http://10.0.0.9:11212/", "10.0.0.9")]
    [InlineData("http://[fd00::5]:11212/", "fd00::5")]
    [InlineData("not a url", "")]
    public void HostOf_IsTheSourceIP(string url, string ip) => Assert.Equal(ip, HttpNodeAdmin.HostOf(url));
}
