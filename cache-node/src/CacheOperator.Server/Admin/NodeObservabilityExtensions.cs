using CacheOperator.Metrics;
using CacheOperator.Server.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CacheOperator.Server.Admin;

/// <summary>Registers the node's metrics, stats and readiness, and maps the admin endpoints.</summary>
public static class NodeObservabilityExtensions
{
    private const string PlainText = "text/plain; charset=utf-8";
    private const string Json = "application/json; charset=utf-8";

    /// <summary>
    /// Registers the metrics registry (as <see cref="IMetricsFactory"/> and <see cref="IMetricsExporter"/>),
    /// <see cref="NodeMetrics"/>, <see cref="StatsReport"/>, <see cref="NodeReadiness"/> and, unless one is
    /// registered already, the <see cref="ClusterToken"/> from the environment. CacheStore and NodeOptions
    /// must be registered by the caller.
    /// </summary>
    public static IServiceCollection AddNodeObservability(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<MetricsRegistry>();
        services.TryAddSingleton<IMetricsFactory>(sp => sp.GetRequiredService<MetricsRegistry>());
        services.TryAddSingleton<IMetricsExporter>(sp => sp.GetRequiredService<MetricsRegistry>());
        services.TryAddSingleton<NodeMetrics>();
        services.TryAddSingleton<StatsReport>();
        services.TryAddSingleton<NodeReadiness>();
        services.TryAddSingleton(_ => ClusterToken.FromEnvironment());
        return services;
    }

    /// <summary>
    /// Maps /healthz (200 "ok" while the process serves), /readyz (200 when <see cref="NodeReadiness.IsReady"/>,
    /// else 503), /metrics (Prometheus text) and /stats (JSON). These stay open; endpoints that change state
    /// go behind <see cref="ClusterTokenEndpointExtensions.RequireClusterToken{TBuilder}"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", static () => Results.Text("ok", PlainText));
        app.MapGet("/readyz", static (NodeReadiness readiness) => readiness.IsReady
            ? Results.Text("ready", PlainText)
            : Results.Text("not ready", PlainText, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", static async (HttpContext context, IMetricsExporter exporter) =>
        {
            context.Response.ContentType = exporter.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            exporter.WriteTo(context.Response.BodyWriter);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/stats", static async (HttpContext context, StatsReport report) =>
        {
            context.Response.ContentType = Json;
            context.Response.Headers.CacheControl = "no-store";
            report.WriteJson(context.Response.BodyWriter);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        });
        return app;
    }
}
