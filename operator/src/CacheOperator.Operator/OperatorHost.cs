using CacheOperator.Controllers;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Metrics;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Reconcile;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Operator;

/// <summary>
/// The process: Kestrel on the metrics port (/metrics, /healthz, /readyz), and the CacheCluster controller —
/// always, or only while this replica holds the leader lease. SIGTERM stops the controller cleanly (in-flight
/// reconciles finish, the lease is released) before the process exits.
/// </summary>
public static partial class OperatorHost
{
    public const string LeaseName = "cache-operator-leader";

    public static async Task<int> RunAsync(OperatorOptions options, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        KubernetesClientConfiguration config;
        try
        {
            config = options.Kubeconfig is null
                ? KubernetesClientConfiguration.Default()
                : KubernetesClientConfiguration.FromKubeconfig(options.Kubeconfig);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"cache-operator: cannot load the Kubernetes configuration: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        using var client = new KubernetesClient(config);
        var metrics = new MetricsRegistry();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.UseKestrel(k =>
        {
            if (options.MetricsBindAddress is { } address)
                k.Listen(address, options.MetricsPort);
            else
                k.ListenAnyIP(options.MetricsPort);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(40));
        await using var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("CacheOperator.Operator");

        string identity = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;
        LeaderElector? elector = null;
        string leaseNamespace = options.LeaderElectionNamespace ?? config.Namespace;
        if (options.LeaderElect)
        {
            elector = new LeaderElector(client, new LeaderElectionOptions
            {
                LeaseNamespace = leaseNamespace,
                LeaseName = LeaseName,
                Identity = identity,
            }, metrics, loggers.CreateLogger("CacheOperator.Controllers.LeaderElector"));
        }

        using var routerHttp = new HttpClient();
        var routerAdmin = new HttpRouterAdmin(routerHttp, Ports.Admin, loggers.CreateLogger<HttpRouterAdmin>());
        var controller = CacheClusterControllerFactory.Create(
            client,
            routerAdmin,
            new OperatorSettings { CacheNodeImage = options.CacheNodeImage },
            new ControllerOptions { Workers = options.Workers, Namespace = options.WatchNamespace },
            metrics,
            loggers,
            TimeProvider.System,
            identity);
        var host = new ControllerHost([controller], elector, loggers.CreateLogger("CacheOperator.Controllers.ControllerHost"));

        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = metrics.ContentType;
            await metrics.WriteToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/healthz", () => Results.Text("ok"));

        // A standby replica is ready (it runs and would take over); the leader once its caches have listed.
        app.MapGet("/readyz", () => !host.IsActive || host.HasSynced
            ? Results.Text("ok")
            : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));

        await app.StartAsync(stop).ConfigureAwait(false);
        LogStarted(logger, config.Server, string.Join(",", app.Urls), options.WatchNamespace ?? "all namespaces",
            elector is null
                ? "leading (no leader election)"
                : $"leader election on: lease {leaseNamespace}/{LeaseName}, identity {identity}");

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop, app.Lifetime.ApplicationStopping);
        LeadershipEnd end;
        try
        {
            end = await host.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (end == LeadershipEnd.Lost)
        {
            // Exit so the pod restarts as a clean candidate, as controller-runtime does.
            LogLostLeadership(logger);
            return 1;
        }

        LogStopped(logger);
        return 0;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "cache-operator started: API server {Server}, metrics on {Urls}, watching {Scope}, {Leadership}")]
    private static partial void LogStarted(ILogger logger, Uri server, string urls, string scope, string leadership);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "leadership lost; exiting")]
    private static partial void LogLostLeadership(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "cache-operator stopped")]
    private static partial void LogStopped(ILogger logger);
}
