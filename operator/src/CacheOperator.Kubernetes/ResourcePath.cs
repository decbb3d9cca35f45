using System.Globalization;
using System.Text;

namespace CacheOperator.Kubernetes;

/// <summary>
/// Builds REST paths and query strings: <c>/api/v1/...</c> for the core group, <c>/apis/&lt;group&gt;/&lt;version&gt;/...</c>
/// otherwise, with <c>namespaces/&lt;ns&gt;/</c> for namespaced kinds.
/// </summary>
public static class ResourcePath
{
    /// <summary>
    /// The collection (name null) or object path. A namespaced kind with <paramref name="ns"/> null means all
    /// namespaces (list and watch only); a cluster-scoped kind ignores <paramref name="ns"/>.
    /// </summary>
    public static string For(KubernetesResourceAttribute resource, string? ns, string? name = null, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var path = new StringBuilder(64);
        path.Append(resource.Group.Length == 0 ? "/api/" : $"/apis/{resource.Group}/").Append(resource.Version);
        if (resource.Namespaced && !string.IsNullOrEmpty(ns))
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        path.Append('/').Append(resource.Plural);
        if (!string.IsNullOrEmpty(name))
        {
            path.Append('/').Append(Uri.EscapeDataString(name));
            if (!string.IsNullOrEmpty(subresource))
                path.Append('/').Append(subresource);
        }
        else if (!string.IsNullOrEmpty(subresource))
        {
            throw new ArgumentException("A subresource needs an object name.", nameof(subresource));
        }
        return path.ToString();
    }

    public static string For<T>(string? ns, string? name = null, string? subresource = null) =>
        For(KubernetesResource.Of<T>(), ns, name, subresource);

    /// <summary>The query string (with its leading '?', or empty) of a list or watch request.</summary>
    public static string Query(ListOptions? options, bool watch)
    {
        var query = new QueryBuilder();
        if (watch)
            query.Add("watch", "true");
        if (options is not null)
        {
            query.Add("labelSelector", options.LabelSelector);
            query.Add("fieldSelector", options.FieldSelector);
            if (options.Limit > 0)
                query.Add("limit", options.Limit.ToString(CultureInfo.InvariantCulture));
            query.Add("continue", options.Continue);
            query.Add("resourceVersion", options.ResourceVersion);
            if (options.AllowWatchBookmarks)
                query.Add("allowWatchBookmarks", "true");
            if (options.TimeoutSeconds is { } timeout)
                query.Add("timeoutSeconds", timeout.ToString(CultureInfo.InvariantCulture));
        }
        return query.ToString();
    }
}
