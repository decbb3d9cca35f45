namespace CacheOperator.Kubernetes.Tests;

/// <summary>What the fake API server saw of one request.</summary>
public sealed record RecordedRequest(
    string Method, string Path, string Query, string? ContentType, string? Authorization, string Body)
{
    /// <summary>The query parameters, unescaped.</summary>
    public IReadOnlyDictionary<string, string> QueryParameters =>
        Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}
