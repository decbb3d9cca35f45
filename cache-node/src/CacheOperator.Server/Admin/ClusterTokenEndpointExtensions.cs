using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CacheOperator.Server.Admin;

/// <summary>Puts an admin endpoint behind the <see cref="ClusterToken"/>.</summary>
public static class ClusterTokenEndpointExtensions
{
    /// <summary>
    /// Answers 401 (with a Bearer challenge) unless the request carries the cluster token; with no token
    /// configured every request is refused, so a misconfigured node fails closed.
    /// </summary>
    public static TBuilder RequireClusterToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter(static async (context, next) =>
        {
            HttpContext http = context.HttpContext;
            ClusterToken token = http.RequestServices.GetRequiredService<ClusterToken>();
            if (!token.Verify(http.Request.Headers.Authorization))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            return await next(context).ConfigureAwait(false);
        });
        return builder;
    }
}
