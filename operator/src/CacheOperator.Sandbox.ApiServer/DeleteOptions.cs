using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>A DeleteOptions body merged with the query parameters of the same names.</summary>
internal sealed record DeleteOptions(string? PropagationPolicy, long? GracePeriodSeconds, string? PreconditionResourceVersion, string? PreconditionUid)
{
    public static DeleteOptions Background { get; } = new("Background", null, null, null);

    public static DeleteOptions Foreground { get; } = new("Foreground", null, null, null);

    public static DeleteOptions From(JsonObject? body, string? queryPolicy, string? queryGrace, string? queryOrphan)
    {
        var policy = Json.Str(body, "propagationPolicy") ?? queryPolicy;
        bool? orphan = Json.IsTrue(body?["orphanDependents"]) ? true : queryOrphan is null ? null : queryOrphan == "true";
        if (policy is null && orphan == true)
        {
            policy = "Orphan";
        }

        var grace = Json.Long(body?["gracePeriodSeconds"])
            ?? (long.TryParse(queryGrace, System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : null);
        return new DeleteOptions(
            policy,
            grace,
            Json.Str(body, "preconditions", "resourceVersion"),
            Json.Str(body, "preconditions", "uid"));
    }
}
