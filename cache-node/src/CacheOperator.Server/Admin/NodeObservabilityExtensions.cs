using CacheOperator.Metrics;
using CacheOperator.Server.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CacheOperator.Server.Admin;

/// <summary>Registers the node's metrics, stats and readiness, and maps the admin endpoints.</summary>
public static class NodeObservabilityExtensions
{
    /// <summary>
    /// Registers the metrics registry (as <see cref="IMetricsFactory"/> and <see cref="IMetricsExporter"/>),
    /// <see cref="NodeMetrics"/>, <see cref="StatsReport"/> and <see cref="NodeReadiness"/>. CacheStore and
    /// NodeOptions must be registered by the caller.
    /// </summary>
    public static IServiceCollection AddNodeObservability(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<MetricsRegistry>();
        services.AddSingleton<IMetricsFactory>(sp => sp.GetRequiredService<MetricsRegistry>());
        services.AddSingleton<IMetricsExporter>(sp => sp.GetRequiredService<MetricsRegistry>());
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<StatsReport>();
        services.AddSingleton<NodeReadiness>();
        return services;
    }

    /// <summary>Maps /healthz, /readyz, /metrics and /stats; these stay open (no token).</summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (NodeReadiness readiness) => readiness.IsReady
            ? Results.Text("ready")
            : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
