using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

/// <summary>The objects `helm template` printed, with lookups by kind and the pod specs they carry.</summary>
internal sealed class RenderedChart
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

    private RenderedChart(List<JsonObject> objects)
    {
        Objects = objects;
    }

    public IReadOnlyList<JsonObject> Objects { get; }

    public static RenderedChart Parse(string yaml)
    {
        var objects = new List<JsonObject>();
        foreach (var document in YamlToJson.Documents(yaml))
        {
            if (document is null)
            {
                continue;
            }

            var obj = Assert.IsType<JsonObject>(document);
            Assert.False(string.IsNullOrEmpty(Kind(obj)), $"a rendered document has no kind:\n{obj}");
            objects.Add(obj);
        }

        return new RenderedChart(objects);
    }

    public static string Kind(JsonObject obj) => (string?)obj["kind"] ?? "";

    public static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    public static string? Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"];

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    /// <summary>Every pod spec: bare pods and the templates of every workload kind.</summary>
    public IEnumerable<(string Owner, JsonObject Spec)> PodSpecs()
    {
        foreach (var obj in Objects)
        {
            var kind = Kind(obj);
            JsonNode? spec = kind switch
            {
                "Pod" => obj["spec"],
                "CronJob" => obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"],
                _ when WorkloadKinds.Contains(kind) => obj["spec"]?["template"]?["spec"],
                _ => null,
            };
            if (spec is JsonObject podSpec)
            {
                yield return ($"{kind}/{Name(obj)}", podSpec);
            }
        }
    }

    /// <summary>Every container of every pod spec, init containers included.</summary>
    public IEnumerable<(string Where, JsonObject PodSpec, JsonObject Container)> Containers()
    {
        foreach (var (owner, spec) in PodSpecs())
        {
            foreach (var list in new[] { "initContainers", "containers" })
            {
                foreach (var container in spec[list]?.AsArray() ?? [])
                {
                    var c = Assert.IsType<JsonObject>(container);
                    yield return ($"{owner} {list}/{(string?)c["name"]}", spec, c);
                }
            }
        }
    }
}
