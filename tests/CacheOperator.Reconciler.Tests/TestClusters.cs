using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;

namespace CacheOperator.Reconciler.Tests;

/// <summary>CacheClusters for tests: the repository's examples, or a spec written inline.</summary>
internal static class TestClusters
{
    public const string Namespace = "shop";

    public static CacheCluster Example(string file, string uid = "6f1c2a9e-0000-4000-8000-000000000001")
    {
        string yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", file));
        var cluster = KubernetesJson.Deserialize<CacheCluster>(YamlToJson.Convert(yaml)!.ToJsonString())!;
        cluster.Metadata.Namespace = Namespace;
        cluster.Metadata.Uid = uid;
        cluster.Metadata.Generation = 1;
        return cluster;
    }

    public static CacheCluster Inline(string name, string specJson, string ns = Namespace)
    {
        var cluster = KubernetesJson.Deserialize<CacheCluster>($$"""{"apiVersion":"cacheoperator.io/v1alpha1","kind":"CacheCluster","metadata":{"name":"{{name}}","namespace":"{{ns}}"},"spec":{{specJson}}}""")!;
        return cluster;
    }
}
