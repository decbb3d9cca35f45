using System.Text.Json.Nodes;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Commands;

/// <summary>
/// `sandbox fault &lt;ns&gt;/&lt;pod&gt; kill|freeze|thaw`: sets the fault annotation the kubelet acts on. The kubelet
/// acts on changes, so when the annotation already holds the same fault it is removed first.
/// </summary>
internal static class FaultCommand
{
    public const string Annotation = "sandbox.cacheoperator.io/fault";
    private static readonly string[] Faults = ["kill", "freeze", "thaw"];

    public static async Task<int> RunAsync(StatePaths paths, string target, string fault)
    {
        if (!Faults.Contains(fault))
        {
            await Console.Error.WriteLineAsync($"sandbox: unknown fault \"{fault}\" (kill, freeze or thaw)").ConfigureAwait(false);
            return 2;
        }

        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 ? ("default", target) : (target[..slash], target[(slash + 1)..]);
        if (paths.ServerUrl() is not { } url || paths.LivePid() is null)
        {
            await Console.Error.WriteLineAsync("sandbox: not running (sandbox up)").ConfigureAwait(false);
            return 1;
        }

        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = url });
        var pod = await client.GetAsync<Pod>(ns, name).ConfigureAwait(false);
        if (pod is null)
        {
            await Console.Error.WriteLineAsync($"sandbox: pod {ns}/{name} not found").ConfigureAwait(false);
            return 1;
        }

        if (pod.Metadata.Annotations?.TryGetValue(Annotation, out var current) == true && current == fault)
        {
            await client.PatchAsync<Pod>(ns, name, PatchType.Merge, AnnotationPatch(null))
                .ConfigureAwait(false);
        }

        await client.PatchAsync<Pod>(ns, name, PatchType.Merge, AnnotationPatch(fault))
            .ConfigureAwait(false);
        Console.WriteLine($"pod {ns}/{name}: fault {fault} requested");
        return 0;
    }

    private static string AnnotationPatch(string? value) => new JsonObject
    {
        ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotation] = value } },
    }.ToJsonString();
}
