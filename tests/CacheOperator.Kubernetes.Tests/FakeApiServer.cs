using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Kubernetes.Tests;

/// <summary>
/// A Kestrel server on 127.0.0.1:0 that records every request and answers with canned responses, in order;
/// when none is queued, <see cref="Fallback"/> answers (404 Status by default).
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _responses = new();
    private readonly List<RecordedRequest> _requests = [];

    private FakeApiServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public Func<HttpContext, Task> Fallback { get; set; } = ctx => Respond(ctx, 404, Status(404, "NotFound", "not found"));

    /// <summary>The client certificate of the last TLS request, when one was presented.</summary>
    public X509Certificate2? LastClientCertificate { get; private set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    public static async Task<FakeApiServer> StartAsync(X509Certificate2? certificate = null, bool requireClientCertificate = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is null)
                return;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                if (requireClientCertificate)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    // The test checks the subject it received; chain trust is not what is under test.
                    https.ClientCertificateValidation = (_, _, _) => true;
                }
            });
        }));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        server.Url = new Uri(address);
        return server;
    }

    public void Enqueue(Func<HttpContext, Task> response) => _responses.Enqueue(response);

    public void Enqueue(int code, string body, params (string Name, string Value)[] headers) =>
        _responses.Enqueue(ctx => Respond(ctx, code, body, headers));

    public static async Task Respond(HttpContext ctx, int code, string body, params (string Name, string Value)[] headers)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
            ctx.Response.Headers[name] = value;
        await ctx.Response.WriteAsync(body);
    }

    public static string Status(int code, string reason, string message) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{code}}}""";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "",
            ctx.Request.ContentType, ctx.Request.Headers.Authorization.FirstOrDefault(), body);
        lock (_requests)
            _requests.Add(recorded);
        if (ctx.Connection.ClientCertificate is { } clientCertificate)
            LastClientCertificate = clientCertificate;
        await (_responses.TryDequeue(out var respond) ? respond : Fallback)(ctx);
    }
}
