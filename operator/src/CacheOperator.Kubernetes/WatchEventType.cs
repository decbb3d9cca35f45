namespace CacheOperator.Kubernetes;

/// <summary>The type field of a watch event.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    /// <summary>Only metadata.resourceVersion is meaningful: where to resume.</summary>
    Bookmark,
}
