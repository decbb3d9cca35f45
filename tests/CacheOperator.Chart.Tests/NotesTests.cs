using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

/// <summary>
/// NOTES.txt is what a user reads right after `helm install`; its commands must name the real objects and
/// its example CacheCluster must fit the CRD. Helm renders NOTES only against a cluster, so the tests render
/// it through a ConfigMap in a scratch copy of the chart.
/// </summary>
public sealed class NotesTests(HelmCli helm) : IClassFixture<HelmCli>, IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("chart-tests-notes-");

    [Fact]
    public void Notes_NameTheRenderedDeployment()
    {
        var (notes, chart) = RenderNotes();

        var deployment = RenderedChart.Name(chart.Single("Deployment"));
        Assert.Contains($"kubectl -n {HelmCli.ReleaseNamespace} rollout status deployment/{deployment}", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl apply -f -", notes, StringComparison.Ordinal);
        Assert.Contains("every namespace", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_WithWatchNamespace_CreateAndCheckTheClusterInThatNamespace()
    {
        var (notes, _) = RenderNotes("--set", "watchNamespace=apps");

        Assert.Contains("kubectl apply -n apps -f -", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl -n apps wait cachecluster/sessions --for=condition=Ready", notes, StringComparison.Ordinal);
        Assert.Contains("namespace apps only", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_ExampleCacheCluster_FitsTheCrdSchema()
    {
        var (notes, _) = RenderNotes();

        var example = ExampleManifest(notes);
        Assert.Equal("cacheoperator.io/v1alpha1", (string?)example["apiVersion"]);
        Assert.Equal("CacheCluster", (string?)example["kind"]);
        Assert.Equal("sessions", (string?)example["metadata"]?["name"]);
        var spec = Assert.IsType<JsonObject>(example["spec"]);
        Assert.NotEmpty(spec);

        if (!File.Exists(RepositoryPaths.GeneratedCrd))
        {
            return; // Until `make crds` has run there is no schema to hold the example against.
        }

        var crd = Assert.IsType<JsonObject>(Assert.Single(YamlToJson.Documents(File.ReadAllText(RepositoryPaths.GeneratedCrd))));
        var version = Assert.Single(crd["spec"]!["versions"]!.AsArray(), v => (string?)v?["name"] == "v1alpha1");
        var specSchema = version?["schema"]?["openAPIV3Schema"]?["properties"]?["spec"];
        AssertFits("spec", spec, specSchema);
        // The notes show `kubectl scale`, which needs the scale subresource.
        Assert.NotNull(version?["subresources"]?["scale"]);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private (string Notes, RenderedChart Chart) RenderNotes(params string[] extraArgs)
    {
        var copy = Path.Combine(_scratch.FullName, "cache-operator");
        CopyDirectory(RepositoryPaths.Chart, copy);
        // Files under templates/ are not in .Files; a copy at the chart's root is, and tpl renders it in the chart's context.
        File.Copy(Path.Combine(copy, "templates", "NOTES.txt"), Path.Combine(copy, "notes-under-test.txt"));
        File.WriteAllText(Path.Combine(copy, "templates", "notes-under-test.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: notes-under-test
              labels:
                {{- include "cache-operator.labels" . | nindent 4 }}
            data:
              notes: {{ tpl (.Files.Get "notes-under-test.txt") . | quote }}
            """);

        var result = helm.TemplateAt(copy, extraArgs);
        Assert.True(result.Succeeded, result.ToString());
        var chart = RenderedChart.Parse(result.StdOut);
        var notes = chart.OfKind("ConfigMap").Single(c => RenderedChart.Name(c) == "notes-under-test")["data"]?["notes"];
        return ((string?)notes ?? "", chart);
    }

    /// <summary>The YAML between the notes' here-document markers, unindented.</summary>
    private static JsonObject ExampleManifest(string notes)
    {
        var lines = notes.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains("<<'YAML'", StringComparison.Ordinal));
        Assert.True(start >= 0, "the notes hold no here-document example");
        var end = Array.FindIndex(lines, start + 1, l => l.Trim() == "YAML");
        Assert.True(end > start, "the notes' example is not closed");
        var body = string.Join('\n', lines[(start + 1)..end].Select(l => l.Length >= 2 ? l[2..] : l.TrimStart()));
        return Assert.IsType<JsonObject>(Assert.Single(YamlToJson.Documents(body)));
    }

    /// <summary>Every field the example sets is declared by the schema, recursively through objects.</summary>
    private static void AssertFits(string path, JsonObject value, JsonNode? schema)
    {
        var properties = schema?["properties"]?.AsObject();
        Assert.True(properties is not null, $"the CRD schema declares no properties at {path}");
        foreach (var (key, child) in value)
        {
            Assert.True(properties.ContainsKey(key), $"the notes' example sets {path}.{key}, which the CRD does not declare");
            if (child is JsonObject nested && properties[key]?["properties"] is not null)
            {
                AssertFits($"{path}.{key}", nested, properties[key]);
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
