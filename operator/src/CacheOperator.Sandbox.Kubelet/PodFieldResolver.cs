using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>The downward API's field paths (env fieldRef and downwardAPI volume items).</summary>
public static class PodFieldResolver
{
    public static string Resolve(Pod pod, string fieldPath, string podIP, string hostIP)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(fieldPath);
        var meta = pod.Metadata;
        return fieldPath switch
        {
            "metadata.name" => meta.Name ?? "",
            "metadata.namespace" => meta.Namespace ?? "",
            "metadata.uid" => meta.Uid ?? "",
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "",
            "status.podIP" or "status.podIPs" => podIP,
            "status.hostIP" or "status.hostIPs" => hostIP,
            "metadata.labels" => Render(meta.Labels),
            "metadata.annotations" => Render(meta.Annotations),
            _ when TryIndexed(fieldPath, "metadata.labels", out var key) => Lookup(meta.Labels, key),
            _ when TryIndexed(fieldPath, "metadata.annotations", out var key) => Lookup(meta.Annotations, key),
            _ => throw new ContainerConfigException($"unsupported fieldRef fieldPath \"{fieldPath}\""),
        };
    }

    private static bool TryIndexed(string fieldPath, string prefix, out string key)
    {
        key = "";
        if (!fieldPath.StartsWith(prefix + "['", StringComparison.Ordinal) || !fieldPath.EndsWith("']", StringComparison.Ordinal))
            return false;
        key = fieldPath[(prefix.Length + 2)..^2];
        return true;
    }

    private static string Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : "";

    private static string Render(IDictionary<string, string>? map) =>
        map is null ? "" : string.Join('\n', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=\"{p.Value}\""));
}
