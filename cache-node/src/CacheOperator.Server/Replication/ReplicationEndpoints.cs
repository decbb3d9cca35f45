using CacheOperator.Metrics;
using CacheOperator.Replication;
using CacheOperator.Server.Admin;
using CacheOperator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Server.Replication;

/// <summary>
/// The node's replication control API on the admin port: serve a stream, start/list/stop pulls, promote,
/// drop. Every endpoint requires the cluster token; with no token configured they are not served at all,
/// unless the node runs in insecure development mode.
/// </summary>
public static class ReplicationEndpoints
{
    public static IServiceCollection AddNodeReplication(this IServiceCollection services, bool insecureDevelopmentMode)
    {
        services.AddSingleton(sp =>
        {
            ClusterToken token = sp.GetRequiredService<ClusterToken>();
            return new ReplicationOptions { ClusterToken = token.IsConfigured ? token.Secret : null };
        });
        services.AddSingleton(sp => new ReplicationManager(sp.GetRequiredService<CacheStore>(), sp.GetRequiredService<ReplicationOptions>()));
        services.AddSingleton(new ReplicationMode(insecureDevelopmentMode));
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReplicationJsonContext.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapReplicationEndpoints(this IEndpointRouteBuilder app)
    {
        ClusterToken token = app.ServiceProvider.GetRequiredService<ClusterToken>();
        bool insecure = app.ServiceProvider.GetRequiredService<ReplicationMode>().InsecureDevelopmentMode;
        RegisterMetrics(app.ServiceProvider);
        if (!token.IsConfigured && !insecure)
        {
            app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("CacheOperator.Replication")
                .LogWarning("Replication endpoints are disabled: no cluster token is configured ({Variable} or {FileVariable}) and the node is not in insecure development mode",
                    ClusterToken.EnvironmentVariable, ClusterToken.FileEnvironmentVariable);
            app.Map("/replication/{**rest}", static () => Results.Json(
                new ErrorResult($"replication is disabled on this node: no cluster token is configured (set {ClusterToken.EnvironmentVariable} or {ClusterToken.FileEnvironmentVariable})"),
                ReplicationJsonContext.Default.ErrorResult, statusCode: StatusCodes.Status503ServiceUnavailable));
            return app;
        }

        RouteGroupBuilder group = app.MapGroup("/replication");
        if (token.IsConfigured)
            group.RequireClusterToken();

        group.MapGet("/stream", ServeStreamAsync);
        group.MapGet("/streams", static (ReplicationManager manager) => Results.Json(
            new ReplicationStatus(manager.IsReadOnlyReplica, manager.TotalRestarts, manager.TotalOverflows,
                manager.Streams.Select(StreamStatus.From).ToList()), ReplicationJsonContext.Default.ReplicationStatus));
        group.MapPost("/pulls", StartPull);
        group.MapDelete("/pulls/{id}", static async (string id, ReplicationManager manager)
            => await manager.StopPullAsync(id).ConfigureAwait(false) ? Results.NoContent() : Results.NotFound());
        group.MapPost("/promote", static async (ReplicationManager manager)
            => Results.Json(new CountResult(await manager.PromoteAsync().ConfigureAwait(false)), ReplicationJsonContext.Default.CountResult));
        group.MapPost("/drop", static (DropRequestBody body, ReplicationManager manager) =>
            TryParseBuckets(body.Buckets, body.BucketCount, out BucketSet? buckets, out IResult? error)
                ? Results.Json(new CountResult(manager.Drop(buckets!)), ReplicationJsonContext.Default.CountResult)
                : error!);
        return app;
    }

    private static async Task ServeStreamAsync(HttpContext context, ReplicationManager manager, string buckets, int? bucketCount)
    {
        if (!TryParseBuckets(buckets, bucketCount ?? 16384, out BucketSet? set, out IResult? error))
        {
            await error!.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.CacheControl = "no-store";
        string peer = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        await manager.ServeAsync(set!, peer, context.Response.BodyWriter, context.RequestAborted).ConfigureAwait(false);
    }

    private static IResult StartPull(PullRequestBody body, ReplicationManager manager)
    {
        if (!Uri.TryCreate(body.Source, UriKind.Absolute, out Uri? source) || source.Scheme is not ("http" or "https"))
            return Results.Json(new ErrorResult($"source '{body.Source}' is not an http(s) URL of a node's admin endpoint"), ReplicationJsonContext.Default.ErrorResult, statusCode: 400);
        PullMode? mode = body.Mode.ToLowerInvariant() switch
        {
            "warmup" or "warm-up" => PullMode.WarmUp,
            "replica" => PullMode.Replica,
            _ => null,
        };
        if (mode is null)
            return Results.Json(new ErrorResult($"mode '{body.Mode}' is not 'warmup' or 'replica'"), ReplicationJsonContext.Default.ErrorResult, statusCode: 400);
        if (!TryParseBuckets(body.Buckets, body.BucketCount, out BucketSet? buckets, out IResult? error))
            return error!;
        if (body.BytesPerSecond is <= 0)
            return Results.Json(new ErrorResult($"bytesPerSecond {body.BytesPerSecond} must be positive (leave it out for no cap)"), ReplicationJsonContext.Default.ErrorResult, statusCode: 400);
        if (!source.AbsolutePath.EndsWith('/'))
            source = new Uri(source, source.AbsolutePath + "/");
        StreamProgress progress = manager.StartPull(source, buckets!, mode.Value, body.BytesPerSecond);
        return Results.Json(StreamStatus.From(progress), ReplicationJsonContext.Default.StreamStatus, statusCode: StatusCodes.Status201Created);
    }

    private static bool TryParseBuckets(string? text, int bucketCount, out BucketSet? buckets, out IResult? error)
    {
        try
        {
            buckets = BucketSet.Parse(text ?? "", bucketCount);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            buckets = null;
            error = Results.Json(new ErrorResult($"buckets: {ex.Message}"), ReplicationJsonContext.Default.ErrorResult, statusCode: 400);
            return false;
        }
    }

    private static void RegisterMetrics(IServiceProvider services)
    {
        IMetricsFactory metrics = services.GetRequiredService<IMetricsFactory>();
        ReplicationManager manager = services.GetRequiredService<ReplicationManager>();
        foreach (string role in new[] { "source", "target", "replica" })
        {
            string r = role;
            metrics.GaugeFunc("cachenode_replication_streams", "Replication and warm-up streams running, by role.",
                () => manager.Streams.Count(s => s.Role == r), ("role", role));
            metrics.GaugeFunc("cachenode_replication_lag_entries", "Log entries the furthest-behind stream of this role has yet to apply.",
                () => manager.Streams.Where(s => s.Role == r).Select(s => s.LagEntries).DefaultIfEmpty(0).Max(), ("role", role));
            metrics.GaugeFunc("cachenode_replication_snapshot_items", "Snapshot items sent or applied by the current attempts of this role's streams.",
                () => manager.Streams.Where(s => s.Role == r).Sum(s => s.Items), ("role", role));
        }

        metrics.CounterFunc("cachenode_replication_restarts_total", "Times a stream started over from a fresh snapshot.", () => manager.TotalRestarts);
        metrics.CounterFunc("cachenode_replication_log_overflows_total", "Times a source's log outgrew its budget and the stream was restarted.", () => manager.TotalOverflows);
        metrics.GaugeFunc("cachenode_replication_log_pending_bytes", "Bytes held in source logs, waiting for slow targets.",
            () => manager.Streams.Sum(s => s.PendingLogBytes));
    }
}
