namespace CacheOperator.Kubernetes;

/// <summary>Query parameters of list and watch requests.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Page size; 0 = no limit.</summary>
    public int Limit { get; init; }
    public string? Continue { get; init; }
    /// <summary>For watch: where to resume. For list: "0" allows a cached answer.</summary>
    public string? ResourceVersion { get; init; }
    public bool AllowWatchBookmarks { get; init; }
    public int? TimeoutSeconds { get; init; }
}
